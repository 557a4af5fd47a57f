using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// Answers a typed command whose JSON cannot be read (a field of the wrong JSON type, <c>"birthDate": 12</c>) with the
/// refusal the REST route gives the same body (<see cref="UnreadableJson"/>: the field and <c>json.format</c>, 400), and
/// applies and stores nothing; the sender records the refusal instead of resending for ever.
/// </summary>
/// <remarks>
/// Why a filter and not a catch in the consumer: MassTransit 8 reads a message's body into its record lazily, when the
/// endpoint's pipe dispatches it to the consumer of that type (<c>SystemTextJsonSerializerContext.TryGetMessage</c>), so a
/// body it cannot read throws a <see cref="JsonException"/> before <see cref="RegistryCommandConsumer"/> is called, and the
/// retry policy would retry it for a quarter of an hour before parking it in <c>popinfo.registry.commands_error</c>,
/// unanswered. This filter sits on the endpoint inside the retry filter, around that dispatch: when a call fails and the
/// body indeed does not read as the command it claims to be, the failure is the answer; any other failure (the database
/// away, the answer not confirmed) goes on to the retry policy as before.
/// </remarks>
public sealed class UnreadableCommandFilter(TimeProvider clock, ILogger<UnreadableCommandFilter> logger) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        try
        {
            await next.Send(context);
        }
        catch (Exception ex) when (Unreadable(context) is { } answer)
        {
            logger.LogWarning(ex, "A {CommandType} command could not be read; it was refused and not applied", answer.CommandType);
            await answer.SendAsync(context, clock, logger);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("unreadableRegistryCommand");

    /// <summary>The refusal of a typed command whose body does not read as its record, or null when it reads (or is not one).</summary>
    internal static Answered? Unreadable(ConsumeContext context)
    {
        var types = context.SupportedMessageTypes.ToHashSet(StringComparer.Ordinal);
        var kind = RegistryCommandCatalogue.All.FirstOrDefault(k => types.Contains(MessageUrn.ForTypeString(k.Type)));
        if (kind is null || !context.TryGetMessage<JsonObject>(out var message))
        {
            return null;
        }

        var body = message.Message;
        Refusal refusal;
        try
        {
            body.Deserialize(kind.Type, Json.Options);
            return null;
        }
        catch (JsonException ex)
        {
            refusal = UnreadableJson.RefusalOf(ex);
        }
        catch (InvalidOperationException ex) when (TextViolations.IsLoneSurrogateEscape(ex))
        {
            refusal = Refusal.Invalid([TextViolations.LoneSurrogateEscape("body")]);
        }

        // The envelope's fields as far as they read: the answer must name the command id the sender waits on.
        return new Answered(kind.Name, GuidOf(body, "commandId") ?? context.MessageId ?? Guid.Empty, GuidOf(body, "correlationId"), TextOf(body, "actor"), refusal);
    }

    private static Guid? GuidOf(JsonObject body, string name) =>
        TextOf(body, name) is { } text && Guid.TryParse(text, out var id) ? id : null;

    private static string? TextOf(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text
            && TextViolations.Of(name, text) is null ? text : null;
}
