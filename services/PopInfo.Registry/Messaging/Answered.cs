using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Commands;

namespace PopInfo.Registry.Messaging;

/// <summary>What the registry did with one bus command, before it becomes the <see cref="RegistryCommandAnswered"/> message.</summary>
internal sealed record Answered(string CommandType, Guid CommandId, Guid? CorrelationId, string? Actor, CommandOutcome Outcome)
{
    public RegistryCommandAnswered ToMessage(DateTimeOffset now)
    {
        var result = Outcome.Json is null ? null : JsonSerializer.Deserialize<ChangeResult>(Outcome.Json, Json.Options);
        return new RegistryCommandAnswered
        {
            CommandId = CommandId,
            CorrelationId = CorrelationId,
            Source = Actor ?? "",
            CommandType = CommandType,
            Applied = Outcome.Applied,
            Status = Outcome.StatusCode,
            PersonId = result?.PersonId,
            Version = result?.Version,
            Sequence = result?.Sequence,
            EventId = result?.EventId,
            Problem = Outcome.Problem is null ? null : JsonSerializer.SerializeToElement(Outcome.Problem, ProblemJson),
            AnsweredAt = now,
        };
    }

    // Problem details as ASP.NET Core writes them (camelCase, extensions at the top level).
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);
}
