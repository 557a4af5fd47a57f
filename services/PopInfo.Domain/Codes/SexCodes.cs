namespace PopInfo.Domain.Codes;

/// <summary>Named GB/T 2261.1-2003 sex codes, so code never compares with a bare "1".</summary>
public static class SexCodes
{
    public const string Unknown = "0";
    public const string Male = "1";
    public const string Female = "2";
    public const string Unstated = "9";
}
