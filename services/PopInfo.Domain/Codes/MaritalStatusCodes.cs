namespace PopInfo.Domain.Codes;

/// <summary>Named GB/T 2261.2-2003 marital status codes.</summary>
public static class MaritalStatusCodes
{
    public const string Unmarried = "10";
    public const string Married = "20";
    public const string FirstMarriage = "21";
    public const string Remarried = "22";
    public const string RemarriedToFormerSpouse = "23";
    public const string Widowed = "30";
    public const string Divorced = "40";
    public const string Unstated = "90";
}
