using System.Text.Json;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Commands;

/// <summary>
/// The commands table as an answer cache keyed by command id (ADR 0008, "The commands table"): each row keeps the status the
/// answer had over REST and its JSON — an applied change's answer (201 created, 200 changed) as the bytes the caller got,
/// or a refusal by the database itself as its problem JSON (400 or 409), written and read by <see cref="RefusalProblems"/>,
/// the one mapping, so that a repeat is answered with the same bytes without a second attempt.
/// </summary>
internal static class StoredAnswers
{
    /// <summary>The status kept for an applied change: what the answer was over REST.</summary>
    public static int StatusOf(CommandAnswer answer) => answer.Created ? 201 : 200;

    /// <summary>The status and JSON kept for a refusal.</summary>
    public static (int Status, string Json) Of(Refusal refusal) =>
        (RefusalProblems.StatusOf(refusal.Kind), refusal.ToProblemJson().GetRawText());

    /// <summary>
    /// The answer kept under a command id, to a repeat of it: refused as an id used for another request when the command's
    /// type or request hash differ; otherwise the stored change (<paramref name="subjectOf"/> reads the subject's id from
    /// its JSON) or the stored refusal.
    /// </summary>
    public static Result<CommandAnswer> Replay(StoredCommand stored, string commandType, string requestHash, Func<string, Guid?> subjectOf)
    {
        if (stored.Command_Type != commandType || stored.Request_Hash != requestHash)
        {
            return Refusal.CommandIdReused();
        }

        if (stored.Status_Code >= 400)
        {
            using var problem = JsonDocument.Parse(stored.Response);
            return RefusalProblems.FromProblemJson(problem.RootElement);
        }

        return new CommandAnswer(stored.Response, stored.Status_Code == 201, subjectOf(stored.Response));
    }
}
