using System.Globalization;
using System.Text;
using static PopInfo.Collection.Paper.PrintHtml;

namespace PopInfo.Collection.Paper;

/// <summary>The receipt as a page: one A5 sheet, portrait, to hand to the resident.</summary>
public static class ReceiptPage
{
    public const string PageRule = "@page { size: A5 portrait; margin: 10mm; }";

    public static PrintDocument Render(Receipt r)
    {
        var (typeZh, typeEn) = PaperText.FormType(r.FormType);
        var body = new StringBuilder()
            .Append("<h1>").Append(E("受理回执")).Append(" <span class=\"en\">Receipt</span></h1>\n")
            .Append("<p class=\"meta\">").Append(E(r.CommunityName)).Append(" · ").Append(L("社区信息采集台", "Community information desk")).Append("</p>\n")
            .Append("<dl class=\"fields\">\n");
        Field(body, "表单编号", "Form ID", $"<span class=\"mono\" data-field=\"formId\">{E(r.FormId.ToString())}</span>");
        Field(body, "事项", "Form", L(typeZh, typeEn));
        Field(body, "姓名", "Name", r.Name is null ? "—" : $"<span data-field=\"name\">{E(r.Name)}</span>");
        Field(body, "公民身份号码", "Identity number", $"<span class=\"mono\" data-field=\"idNumber\">{E(r.MaskedIdNumber)}</span>");
        Field(body, "登记结果", "Registry",
            L("已登记", "accepted") + " · " + L("版本", "version") + " " + E(Number(r.RegistryVersion)) + " · " + L("变更序号", "sequence") + " " + E(Number(r.RegistrySequence)));
        Field(body, "受理时间", "Accepted at", r.AcceptedAt is { } accepted ? E(CityTime(accepted)) + " " + L("北京时间", "China time") : "—");
        Field(body, "提交时间", "Submitted at", r.SubmittedAt is { } submitted ? E(CityTime(submitted)) : "—");
        Field(body, "业务日", "Business day", E(r.Day) + (r.Late ? " " + L("（迟交）", "(late)") : ""));
        Field(body, "采集员", "Collector", E(r.Collector));
        Field(body, "社区", "Community", $"{E(r.CommunityName)} <span class=\"mono\">{E(r.CommunityCode)}</span>");
        Field(body, "街道", "Street", E(r.StreetName));
        body.Append("</dl>\n")
            .Append("<div class=\"signatures\">\n")
            .Append("<p class=\"signature\">").Append(L("经办人（签字）", "Collector")).Append(" <span class=\"line\"></span></p>\n")
            .Append("<p class=\"signature\">").Append(L("居民（签收）", "Resident")).Append(" <span class=\"line\"></span></p>\n")
            .Append("</div>\n")
            .Append("<p class=\"note\">")
            .Append(L("本回执证明上述事项已由人口信息登记机关受理；为保护个人信息，身份号码只显示部分数字。",
                "This receipt shows that the population register has accepted the form above; part of the identity number is hidden to protect the person."))
            .Append("<br>").Append(L("打印", "Printed")).Append(' ').Append(E(CityTime(r.PrintedAt))).Append(' ').Append(E(r.PrintedBy))
            .Append("</p>\n");
        return Document($"受理回执 Receipt {r.FormId}", PageRule, "receipt", body.ToString());
    }

    private static void Field(StringBuilder body, string zh, string en, string valueHtml) =>
        body.Append("<dt>").Append(L(zh, en)).Append("</dt><dd>").Append(valueHtml).Append("</dd>\n");

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "—";
}
