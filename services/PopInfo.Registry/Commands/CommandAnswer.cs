namespace PopInfo.Registry.Commands;

/// <summary>
/// The answer to a command the registry applied: the JSON of the change as stored under the command id (the same bytes on
/// every repeat of the command id), whether the command created its subject (a person, a household), and the subject's id.
/// A command refused answers a <see cref="ServiceDefaults.Outcomes.Refusal"/> instead (<c>Result&lt;CommandAnswer&gt;</c>).
/// </summary>
public sealed record CommandAnswer(string Json, bool Created, Guid? SubjectId);
