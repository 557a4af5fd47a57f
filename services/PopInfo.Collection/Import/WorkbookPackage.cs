using System.Globalization;
using System.IO.Compression;
using System.Xml;
using PopInfo.ServiceDefaults.Problems;
using static PopInfo.Collection.Import.FormCsvRules;

namespace PopInfo.Collection.Import;

/// <summary>What the package check learnt of a workbook that may be handed to the reader.</summary>
/// <param name="Date1904">The workbook counts date serials from 1904 (old Mac Excel), not 1900.</param>
public sealed record WorkbookFacts(bool Date1904);

/// <summary>
/// Checks a workbook's zip package before any reader opens it. A workbook is a zip of XML parts, and a zip of a few
/// kilobytes can unpack to gigabytes (a zip bomb): every entry is unpacked here, counted and thrown away, and the
/// package is refused once the total passes <see cref="MaxUnpackedBytes"/>, or an entry unpacks to more than it
/// declares — so the reader never unpacks more than was counted here. Then <c>xl/workbook.xml</c> says whether
/// dates count from 1904.
/// </summary>
public static class WorkbookPackage
{
    /// <summary>The most a workbook may unpack to (64 MiB): ten thousand full rows of forms take about a third of it.</summary>
    public const long MaxUnpackedBytes = 64L * 1024 * 1024;

    private const string WorkbookPart = "xl/workbook.xml";
    private const string SpreadsheetNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    public static (WorkbookFacts? Facts, RuleViolation? Problem) Inspect(byte[] workbook)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(workbook, writable: false), ZipArchiveMode.Read);
            long declared = 0;
            foreach (var entry in zip.Entries)
            {
                declared += entry.Length;
                if (declared > MaxUnpackedBytes)
                {
                    return (null, TooLarge());
                }
            }

            if (Find(zip, WorkbookPart) is not { } workbookEntry)
            {
                return (null, Unreadable("The file is a zip archive but not an Excel workbook (.xlsx): it has no xl/workbook.xml."));
            }

            // What the entries declare may be false: count what they really unpack to.
            var buffer = new byte[81_920];
            long unpacked = 0;
            foreach (var entry in zip.Entries)
            {
                using var content = entry.Open();
                long ofEntry = 0;
                int read;
                while ((read = content.Read(buffer)) > 0)
                {
                    ofEntry += read;
                    unpacked += read;
                    if (unpacked > MaxUnpackedBytes)
                    {
                        return (null, TooLarge());
                    }

                    if (ofEntry > entry.Length)
                    {
                        return (null, Unreadable("The workbook is damaged: a part of it unpacks to more than its zip entry says."));
                    }
                }
            }

            return (new WorkbookFacts(Date1904(workbookEntry)), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or XmlException or IOException)
        {
            // Not a zip, a damaged one, an unknown compression method, or workbook XML that is not XML (or has a DTD).
            return (null, Unreadable("The file cannot be read as an Excel workbook (.xlsx): it is damaged or not a workbook."));
        }
    }

    private static ZipArchiveEntry? Find(ZipArchive zip, string name) =>
        zip.Entries.FirstOrDefault(e => e.FullName.Replace('\\', '/').Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The workbook's <c>workbookPr/@date1904</c>; the XML reader refuses a DTD (no entity expansion).</summary>
    private static bool Date1904(ZipArchiveEntry workbook)
    {
        using var content = workbook.Open();
        using var xml = XmlReader.Create(content, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "workbookPr" && xml.NamespaceURI == SpreadsheetNamespace)
            {
                return xml.GetAttribute("date1904") is "1" or "true";
            }

            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "sheets")
            {
                // workbookPr comes before the sheets, or not at all.
                return false;
            }
        }

        return false;
    }

    private static RuleViolation TooLarge() => new(FileField, WorkbookUnpackedSize,
        $"The workbook unpacks to more than {(MaxUnpackedBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB; " +
        "a workbook of forms is far smaller: split it, or save the sheet as \"CSV UTF-8\".");

    private static RuleViolation Unreadable(string message) => new(FileField, WorkbookUnreadable, message);
}
