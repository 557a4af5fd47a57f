using System.Text.Json.Nodes;

namespace PopInfo.Sharing.Operations;

/// <summary>What every operation's body carries besides its question: why (a purpose code), for which case, for whom.</summary>
public interface IStatedPurpose
{
    string? Purpose { get; }

    string? CaseReference { get; }

    string? EndUser { get; }
}

/// <summary>核验: does the person with this identity number have this name (and birth date, sex)?</summary>
public sealed record VerifyRequest(string? IdNumber, string? Name, DateOnly? BirthDate, string? Sex, string? Purpose, string? CaseReference, string? EndUser)
    : IStatedPurpose;

/// <summary>One person by identity number, or the persons with an exact name and birth date (within a region, when given).</summary>
public sealed record LookupRequest(string? IdNumber, string? Name, DateOnly? BirthDate, string? Region, string? Purpose, string? CaseReference, string? EndUser)
    : IStatedPurpose;

/// <summary>One item of a batch verification.</summary>
public sealed record VerifyItem(string? IdNumber, string? Name, DateOnly? BirthDate, string? Sex);

/// <summary>One item of a batch look-up.</summary>
public sealed record LookupItem(string? IdNumber, string? Name, DateOnly? BirthDate, string? Region);

public sealed record BatchVerifyRequest(IReadOnlyList<VerifyItem>? Items, string? Purpose, string? CaseReference, string? EndUser) : IStatedPurpose;

public sealed record BatchLookupRequest(IReadOnlyList<LookupItem>? Items, string? Purpose, string? CaseReference, string? EndUser) : IStatedPurpose;

/// <summary>The household of the person with this identity number.</summary>
public sealed record HouseholdRequest(string? IdNumber, string? Purpose, string? CaseReference, string? EndUser) : IStatedPurpose;

/// <summary>A verification's outcome (<see cref="Domain.Sharing.Verification"/>) and the register sequence it reflects.</summary>
public sealed record VerifyAnswer(string Outcome, long AsOfSequence);

/// <summary>
/// The persons found, each with the granted fields only (masked as granted); <see cref="Matches"/> counts every match,
/// of which at most <see cref="Domain.Sharing.SharingOperations.MaxMatches"/> are listed.
/// </summary>
public sealed record LookupAnswer(IReadOnlyList<JsonObject> People, int Matches, long AsOfSequence);

/// <summary>A batch item's answer: its outcome, or the rules it broke (it was not asked).</summary>
public sealed record VerifyItemAnswer(int Index, string? Outcome, IReadOnlyList<ItemProblem>? Problems);

public sealed record LookupItemAnswer(int Index, IReadOnlyList<JsonObject>? People, int Matches, IReadOnlyList<ItemProblem>? Problems);

/// <summary>A rule an item broke: the field within the item, the rule's name and a sentence.</summary>
public sealed record ItemProblem(string Field, string Rule, string Message);

public sealed record BatchVerifyAnswer(IReadOnlyList<VerifyItemAnswer> Results, long AsOfSequence);

public sealed record BatchLookupAnswer(IReadOnlyList<LookupItemAnswer> Results, long AsOfSequence);

/// <summary>A household's members: each one's relationship to the head and granted fields.</summary>
public sealed record HouseholdAnswer(IReadOnlyList<HouseholdMember> Members, long AsOfSequence);

public sealed record HouseholdMember(string? RelationshipToHead, JsonObject Person);
