namespace PopInfo.Domain.Codes;

public static partial class NationalCodes
{
    /// <summary>GB/T 2261.1-2003 人的性别代码.</summary>
    public static CodeList Sex { get; } = new("sex", "GB/T 2261.1-2003",
    [
        // 0 is "could not be determined", 9 is "known but not stated": they are different facts.
        new(SexCodes.Unknown, "未知的性别", "unknown"),
        new(SexCodes.Male, "男性", "male"),
        new(SexCodes.Female, "女性", "female"),
        new(SexCodes.Unstated, "未说明的性别", "unstated"),
    ]);
}
