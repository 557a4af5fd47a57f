namespace PopInfo.Domain.Identity;

/// <summary>
/// Names of the rules <see cref="IdentityNumber.Parse"/> checks, in the order it checks them.
/// They are stable identifiers: APIs return them to clients and tests match on them, so never rename one.
/// </summary>
public static class IdentityNumberRules
{
    public const string Required = "id-number.required";
    public const string Length = "id-number.length";
    public const string Characters = "id-number.characters";
    public const string Province = "id-number.province";
    public const string BirthDate = "id-number.birth-date";
    public const string CheckCharacter = "id-number.check-character";
}
