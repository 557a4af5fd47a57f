namespace PopInfo.Domain.Records;

/// <summary>
/// A rule a command breaks: the field it names, the rule's stable name (<see cref="PersonRules"/>) and the message.
/// <paramref name="StateConflict"/> marks a refusal because of the person's current state (the registry answers it as
/// a conflict), not because of what the command says.
/// </summary>
public sealed record RuleBreach(string Field, string Rule, string Message, bool StateConflict = false);

/// <summary>What a rule decided: accepted with the change it makes to the person, or refused with the rule broken.</summary>
public sealed record Ruling<TChange>(TChange? Change, RuleBreach? Breach)
    where TChange : class
{
    public bool Accepted => Breach is null;
}

/// <summary>Makes <see cref="Ruling{TChange}"/>s.</summary>
public static class Ruling
{
    public static Ruling<TChange> Accept<TChange>(TChange change)
        where TChange : class => new(change, null);

    public static Ruling<TChange> Refuse<TChange>(RuleBreach breach)
        where TChange : class => new(null, breach);
}
