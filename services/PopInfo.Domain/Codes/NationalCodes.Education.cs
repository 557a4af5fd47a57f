namespace PopInfo.Domain.Codes;

public static partial class NationalCodes
{
    /// <summary>
    /// GB/T 4658-2006 学历代码: the top-level codes (x0) and the two common postgraduate leaves.
    /// The standard's many graduated/completed/dropped-out leaves (21 大学本科毕业, 23 大学本科肄业, …)
    /// are left out until a service needs them.
    /// </summary>
    public static CodeList Education { get; } = new("education", "GB/T 4658-2006",
    [
        new("10", "研究生教育", "postgraduate education"),
        new("11", "博士研究生毕业", "doctoral graduate"),
        new("14", "硕士研究生毕业", "master's graduate"),
        new("20", "大学本科教育", "undergraduate (bachelor's) education"),
        new("30", "大学专科教育", "junior college education"),
        new("40", "中等职业教育", "secondary vocational education"),
        new("60", "普通高级中学教育", "general senior secondary education"),
        new("70", "初级中学教育", "junior secondary education"),
        new("80", "小学教育", "primary education"),
        new("90", "其他", "other"),
    ]);
}
