using System.Reflection;
using PopInfo.Collection.Import;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Collection;

/// <summary>docs/samples/forms.csv and docs/collection-csv.md, copied next to the tests by the project file.</summary>
public class FormCsvSampleTests
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "Collection", "forms.csv");
    private static readonly string DocumentPath = Path.Combine(AppContext.BaseDirectory, "Collection", "collection-csv.md");

    [Fact]
    public async Task The_sample_file_is_read_without_violations()
    {
        await using var stream = File.OpenRead(SamplePath);

        var file = await FormCsvReader.ReadAsync(stream);

        Assert.Empty(file.FileViolations);
        Assert.All(file.Rows, r => Assert.Empty(r.Violations));
        Assert.Equal(
            ["birth", "death", "move-out", "migrant-arrival", "correction", "move-within-city"],
            file.Rows.Select(r => r.FormType));
        Assert.Equal([2, 3, 4, 5, 6, 7], file.Rows.Select(r => r.Line));
    }

    [Fact]
    public async Task The_sample_identity_numbers_are_valid_and_its_region_codes_are_the_city_s()
    {
        await using var stream = File.OpenRead(SamplePath);
        var file = await FormCsvReader.ReadAsync(stream);
        var data = file.Rows.SelectMany(r => r.Data).ToList();

        var idNumbers = data.Where(d => d.Key.EndsWith("IdNumber", StringComparison.OrdinalIgnoreCase)).Select(d => d.Value).ToList();
        Assert.NotEmpty(idNumbers);
        Assert.All(idNumbers, id => Assert.True(IdentityNumber.Parse(id).IsValid, id));

        var regionCodes = data.Where(d => d.Key.EndsWith("RegionCode", StringComparison.Ordinal)).Select(d => d.Value).ToList();
        Assert.NotEmpty(regionCodes);
        Assert.All(regionCodes, code => Assert.True(RegionCatalogue.Wuxi.TryGet(code, out _), code));
    }

    [Fact]
    public void The_format_document_names_every_column_form_type_and_rule()
    {
        var document = File.ReadAllText(DocumentPath);

        var names = FormCsvColumns.All.SelectMany(c => c.ChineseHeaders.Prepend(c.Field))
            .Concat(FormCsvColumns.FormTypes.SelectMany(t => t.Value.Prepend(t.Key)))
            .Concat(typeof(FormCsvRules).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!));

        Assert.All(names, name => Assert.Contains($"`{name}`", document, StringComparison.Ordinal));
    }
}
