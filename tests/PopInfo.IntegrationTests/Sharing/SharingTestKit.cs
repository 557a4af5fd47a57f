using System.Text.Json.Nodes;
using Dapper;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Sharing.Audit;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>What the sharing operations' tests share: grants, bodies, persons of a chosen name and birth date, audit rows.</summary>
internal static class SharingTestKit
{
    public const string Purpose = "school-enrolment";

    /// <summary>The street holding the fixture's first two communities (not its third).</summary>
    public static string Street => RegionCatalogue.Wuxi.Streets[2].Code;

    public static readonly string[] AllOperations = ["verify", "lookup", "batch-verify", "batch-lookup", "household"];

    public static object Grant(string[] operations, object fields, string[]? regions = null, string[]? purposes = null, int dailyQuota = 100_000,
        bool mayTellNotFound = false) => new
        {
            operations,
            fields,
            regions = regions ?? [Street],
            purposes = purposes ?? [Purpose],
            requestsPerMinute = 100_000,
            dailyQuota,
            mayTellNotFound,
        };

    /// <summary>The sharing host started (once) and its read model caught up with the registry.</summary>
    public static async Task ReadyAsync(SharingFixture fixture)
    {
        if (fixture.Sharing is null)
        {
            fixture.StartSharing();
        }

        await fixture.CaughtUpAsync();
    }

    /// <summary>A department with the grant, and its client.</summary>
    public static async Task<HttpClient> DepartmentAsync(SharingFixture fixture, string code, object grant)
    {
        await fixture.GrantAsync(code, grant);
        return fixture.Sharing!.CreateDepartmentClient(code);
    }

    /// <summary>A body: the question's fields with the purpose and a case reference (and end user, when given).</summary>
    public static JsonObject Body(object question, string purpose = Purpose, string caseReference = "2026-0001", string? endUser = null)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(question))!.AsObject();
        body["purpose"] = purpose;
        body["caseReference"] = caseReference;
        if (endUser is not null)
        {
            body["endUser"] = endUser;
        }

        return body;
    }

    /// <summary>A female resident named <paramref name="name"/>, born on <paramref name="birth"/> with the given sequence (even).</summary>
    public static async Task<(Guid Id, string IdNumber)> RegisterNamedAsync(SharingFixture fixture, string community, string name, DateOnly birth, int sequence)
    {
        var idNumber = IdentityNumber.Create("320205", birth, sequence);
        var person = await fixture.RegisterAsync(community, "2", body =>
        {
            body["idNumber"] = idNumber;
            body["name"] = name;
            body["birthDate"] = birth.ToString("yyyy-MM-dd");
        });
        return (person.Id, idNumber);
    }

    /// <summary>A valid identity number no one holds.</summary>
    public static string UnknownNumber() => People.Next().IdNumber;

    /// <summary>Every access audit row of a department's client, in order.</summary>
    public static async Task<IReadOnlyList<AccessAuditRow>> AuditRowsAsync(SharingFixture fixture, string code)
    {
        await using var connection = await fixture.Service<AccessAuditStore>().Database.OpenConnectionAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<AccessAuditRow>(
            "SELECT id AS Id, at AS At, request_id AS RequestId, client_id AS ClientId, end_user AS EndUser, operation AS Operation, purpose AS Purpose, " +
            "case_reference AS CaseReference, person_id AS PersonId, fields AS Fields, outcome AS Outcome, as_of_sequence AS AsOfSequence " +
            "FROM access_audit WHERE client_id = @client ORDER BY id", new { client = "dept-" + code })];
    }

    /// <summary>A JSON object's keys, sorted.</summary>
    public static string[] Keys(JsonNode? node) => [.. node!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>An identity number as a grant masks it: the first four and last four characters kept.</summary>
    public static string MaskedNumber(string idNumber) => idNumber[..4] + new string('*', 10) + idNumber[^4..];
}
