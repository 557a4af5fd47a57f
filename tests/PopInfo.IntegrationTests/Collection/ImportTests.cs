using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>Bulk entry by CSV: bad rows named by line, field and rule and kept; good rows go through; a file is never taken twice or by halves.</summary>
public sealed class ImportTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task Good_rows_become_forms_that_the_registry_accepts_and_bad_rows_are_listed_and_kept()
    {
        var (_, leaving, _) = await fixture.RegisterResidentAsync();
        var (_, dying, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var csv = $"""
            表单类型,公民身份号码,迁出日期,迁往地,死亡日期,备注
            迁出,{leaving},2026-01-05,南京市鼓楼区,,
            死亡,{dying},,,2026-01-06,医院证明
            死亡,320205195001010018,,,2026-01-06,
            """;

        var (status, result) = await DeskForms.UploadCsvAsync(desk, csv);

        Assert.Equal(201, status);
        Assert.Equal(3, (int)result["rows"]!);
        Assert.Equal(2, (int)result["accepted"]!);
        Assert.Equal(1, (int)result["rejected"]!);
        var bad = result["badRows"]!.AsArray().Single()!;
        Assert.Equal(4, (int)bad["line"]!);
        Assert.Equal("idNumber", (string)bad["violations"]![0]!["field"]!);
        Assert.Equal("id-number.check-character", (string)bad["violations"]![0]!["rule"]!);
        foreach (var id in result["forms"]!.AsArray().Select(f => Guid.Parse((string)f!)))
        {
            Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, id))["state"]!);
        }

        var (_, person) = await fixture.RegistryClient.GetJsonAsync($"/api/v1/persons/by-id-number/{dying}");
        Assert.Equal("deceased", (string)person["person"]!["status"]!);

        // Kept for correction, readable later; and the same file is never taken twice.
        var (_, again) = await desk.GetJsonAsync($"/api/v1/imports/{(string)result["importId"]!}");
        Assert.Equal(4, (int)again["badRows"]![0]!["line"]!);
        var (duplicate, problem) = await DeskForms.UploadCsvAsync(desk, csv);
        Assert.Equal(409, duplicate);
        Assert.Equal("import.same-file", (string)problem["rule"]!);
    }

    [Fact]
    public async Task A_row_about_a_person_in_the_register_carries_the_person_and_version_it_was_checked_against()
    {
        var (personId, dying, version) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var csv = $"""
            表单类型,公民身份号码,死亡日期,备注
            死亡,{dying},2026-01-06,{Guid.NewGuid():N}
            """;

        var (status, result) = await DeskForms.UploadCsvAsync(desk, csv);

        Assert.Equal(201, status);
        var formId = Guid.Parse((string)result["forms"]![0]!);
        var (_, form) = await desk.GetJsonAsync($"/api/v1/forms/{formId}");
        // The registry refuses the command if the person changed after this check (version.current), as for a single form.
        Assert.Equal(personId, Guid.Parse((string)form["personId"]!));
        Assert.Equal(version, (int)form["expectedVersion"]!);
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, formId))["state"]!);
    }

    [Fact]
    public async Task All_or_nothing_refuses_a_file_with_a_bad_row_and_a_broken_file_is_refused_whole()
    {
        var (_, leaving, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var formsBefore = await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.forms");
        var importsBefore = await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.imports");

        var (refused, problem) = await DeskForms.UploadCsvAsync(desk, $"""
            formType,idNumber,moveDate,destination
            move-out,{leaving},2026-01-05,南京
            move-out,{leaving},2026-13-05,
            """, "?allOrNothing=true");
        Assert.Equal(400, refused);
        Assert.Equal(3, (int)problem["badRows"]![0]!["line"]!);

        var (broken, fileProblem) = await DeskForms.UploadCsvAsync(desk, "表单类型,不认识的列\n出生,x\n");
        Assert.Equal(400, broken);
        Assert.Contains(fileProblem.Violations(), v => v.Field == "file");

        Assert.Equal(formsBefore, await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.forms"));
        Assert.Equal(importsBefore, await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.imports"));
    }

    [Fact]
    public async Task A_collector_imports_only_into_their_own_community()
    {
        using var supervisor = await fixture.SignInAsync("supervisor");
        var (status, _) = await DeskForms.UploadCsvAsync(supervisor, "formType,idNumber\ndeath,320205195001010017\n");
        Assert.Equal(403, status);
    }
}
