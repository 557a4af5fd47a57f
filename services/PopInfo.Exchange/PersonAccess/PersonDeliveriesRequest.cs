namespace PopInfo.Exchange.PersonAccess;

/// <summary>An auditor's question: which departments received this person's changes?</summary>
/// <param name="PersonId">The person (the register's id).</param>
/// <param name="RegistrySequences">Only the events of these register changes (the person's change-log sequences, as the registry's access log lists them).</param>
/// <param name="Limit">At most this many events (1–1000, default 1000).</param>
/// <param name="OnBehalfOf">The auditor's user name, when a service (the sharing service) asks for one.</param>
public sealed record PersonDeliveriesRequest(Guid? PersonId, IReadOnlyList<long>? RegistrySequences, int? Limit, string? OnBehalfOf);
