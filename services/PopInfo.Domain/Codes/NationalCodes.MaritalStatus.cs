namespace PopInfo.Domain.Codes;

public static partial class NationalCodes
{
    /// <summary>
    /// GB/T 2261.2-2003 婚姻状况代码. 20 is the general "married"; 21–23 say which marriage it is.
    /// </summary>
    public static CodeList MaritalStatus { get; } = new("marital-status", "GB/T 2261.2-2003",
    [
        new(MaritalStatusCodes.Unmarried, "未婚", "unmarried"),
        new(MaritalStatusCodes.Married, "已婚", "married"),
        new(MaritalStatusCodes.FirstMarriage, "初婚", "first marriage"),
        new(MaritalStatusCodes.Remarried, "再婚", "remarried"),
        new(MaritalStatusCodes.RemarriedToFormerSpouse, "复婚", "remarried to former spouse"),
        new(MaritalStatusCodes.Widowed, "丧偶", "widowed"),
        new(MaritalStatusCodes.Divorced, "离婚", "divorced"),
        new(MaritalStatusCodes.Unstated, "未说明的婚姻状况", "unstated"),
    ]);
}
