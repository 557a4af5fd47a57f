namespace PopInfo.Domain.Codes;

/// <summary>
/// The national code lists the population platform stores, with the exact codes and Chinese names of
/// each standard. Each list lives in its own file (NationalCodes.Sex.cs, …); named constants for the
/// codes code refers to are in <see cref="SexCodes"/>, <see cref="MaritalStatusCodes"/> and
/// <see cref="FamilyRelationshipCodes"/>.
/// </summary>
public static partial class NationalCodes;
