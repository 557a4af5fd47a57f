using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace PopInfo.Benchmarks.FaultCampaign;

/// <summary>What the check found. The campaign passes when <see cref="Lost"/>, <see cref="AppliedTwice"/> and <see cref="Differences"/> are 0.</summary>
public sealed class CheckResult
{
    public long Changes { get; set; }

    public long Lost { get; set; }

    public long AppliedTwice { get; set; }

    public long Unentitled { get; set; }

    public long Differences { get; set; }

    public long DuplicatesDelivered { get; set; }

    /// <summary>One line per figure behind the totals, and the first examples of each problem.</summary>
    public List<string> Lines { get; } = [];

    public List<string> Examples { get; } = [];

    public bool Passed => Lost == 0 && AppliedTwice == 0 && Differences == 0 && Unentitled == 0;

    public void Example(string what)
    {
        if (Examples.Count < 40)
        {
            Examples.Add(what);
        }
    }
}

/// <summary>
/// The independent convergence check. It reads the master (the registry's tables: the change log, the current persons, their
/// history) and every copy (each department's events as its queue consumer, webhook endpoint and feed reader received them;
/// the sharing and analytics read models' tables; the desk's forms and the exchange's inbound records) straight from the
/// databases and the campaign's own receivers, and decides with its own code — not the exchange's matching or projection — what
/// each department was entitled to: a change matches a subscription when its type is listed and the person's residence region
/// after it, registered region after it, or residence region before it lies in one of the subscription's regions.
/// </summary>
public static class ConvergenceCheck
{
    private sealed record Change(long Sequence, Guid EventId, Guid PersonId, string Type, int Version, Guid? CommandId, string?[] Regions);

    public static async Task<CheckResult> RunAsync(string database, IReadOnlyList<CampaignDepartment> departments,
        IReadOnlyDictionary<string, IReadOnlyList<string>> feeds, CampaignLoad load, string pusher)
    {
        var result = new CheckResult();
        await using var data = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { CommandTimeout = 0 }.ConnectionString);

        var changes = new List<Change>();
        await foreach (var row in RowsAsync(data, "SELECT event::text FROM registry.change_log ORDER BY sequence"))
        {
            var e = JsonNode.Parse((string)row[0])!;
            var person = e["person"]!;
            changes.Add(new Change((long)e["sequence"]!, (Guid)e["eventId"]!, (Guid)e["personId"]!, (string)e["changeType"]!, (int)e["version"]!,
                (Guid?)e["commandId"], [(string?)person["residenceRegionCode"], (string?)person["registeredRegionCode"], (string?)e["previousResidenceRegionCode"]]));
        }

        result.Changes = changes.Count;
        CheckRegister(result, changes, await PairsAsync(data, "SELECT id, version FROM registry.persons"),
            await PairsAsync(data, "SELECT person_id, version FROM registry.person_history"));
        await CheckSourcesAsync(result, data, changes, load, pusher);
        foreach (var department in departments)
        {
            var expected = Entitled(department, changes);
            CheckCopy(result, department, "feed", feeds[department.Code], expected);
            if (department.Channel is Channel.Queue or Channel.Webhook)
            {
                CheckCopy(result, department, department.Channel == Channel.Queue ? "queue" : "webhook", [.. department.Received], expected);
            }
        }

        await CheckReadModelsAsync(result, data);
        return result;
    }

    /// <summary>(subscription id, register sequence) → the change, for every subscription of the department the change matches.</summary>
    private static Dictionary<(string, long), Change> Entitled(CampaignDepartment department, List<Change> changes)
    {
        var expected = new Dictionary<(string, long), Change>();
        foreach (var change in changes)
        {
            foreach (var entitlement in department.Entitlements)
            {
                if (entitlement.ChangeTypes.Contains(change.Type) && change.Regions.Any(r => r is not null && entitlement.Regions.Any(e => Within(r, e))))
                {
                    expected[(entitlement.Id, change.Sequence)] = change;
                }
            }
        }

        return expected;
    }

    /// <summary>A region code lies within an entitled region when it starts with it, a city's or district's trailing "00"s dropped (320200 → 3202).</summary>
    public static bool Within(string code, string region)
    {
        var prefix = region.Length == 6 && region.EndsWith("00", StringComparison.Ordinal) ? region[..4] : region;
        return code.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>No change applied twice: per person, versions 1..n once each; per command, one change; the current and past rows are the logged versions.</summary>
    private static void CheckRegister(CheckResult result, List<Change> changes, List<(Guid, int)> current, List<(Guid, int)> history)
    {
        long repeatedVersions = 0, versionGaps = 0, repeatedCommands = 0, rowDifferences = 0;
        foreach (var person in changes.GroupBy(c => c.PersonId))
        {
            var versions = person.Select(c => c.Version).Order().ToList();
            repeatedVersions += versions.Count - versions.Distinct().Count();
            var distinct = versions.Distinct().ToList();
            if (distinct[0] != 1 || distinct[^1] != distinct.Count)
            {
                versionGaps++;
                result.Example($"register: person {person.Key} has versions {string.Join(',', versions)}");
            }
        }

        foreach (var command in changes.Where(c => c.CommandId is not null).GroupBy(c => c.CommandId))
        {
            if (command.Count() > 1)
            {
                repeatedCommands += command.Count() - 1;
                result.Example($"register: command {command.Key} applied {command.Count()} times (sequences {string.Join(',', command.Select(c => c.Sequence))})");
            }
        }

        var logged = changes.Select(c => (c.PersonId, c.Version)).ToHashSet();
        var stored = current.Concat(history).ToHashSet();
        rowDifferences += logged.Except(stored).Count() + stored.Except(logged).Count();
        var latest = changes.GroupBy(c => c.PersonId).ToDictionary(g => g.Key, g => g.Max(c => c.Version));
        rowDifferences += current.Count(p => !latest.TryGetValue(p.Item1, out var v) || v != p.Item2) + Math.Max(0, latest.Count - current.Count);
        result.AppliedTwice += repeatedVersions + repeatedCommands;
        result.Differences += versionGaps + rowDifferences;
        result.Lines.Add($"register: {changes.Count} changes of {latest.Count} persons; versions repeated {repeatedVersions}, persons with a version gap {versionGaps}, commands applied more than once {repeatedCommands}, stored rows ≠ change log {rowDifferences}");
    }

    /// <summary>Every direct command, desk form and pushed record answered, and each applied one in the change log exactly once.</summary>
    private static async Task CheckSourcesAsync(CheckResult result, NpgsqlDataSource data, List<Change> changes, CampaignLoad load, string pusher)
    {
        var byCommand = changes.Where(c => c.CommandId is not null).ToLookup(c => c.CommandId!.Value);
        var byEvent = changes.ToDictionary(c => c.EventId);

        long applied = 0, refused = 0, unanswered = 0, notLogged = 0, wrongAnswer = 0;
        foreach (var (command, answer) in load.Direct)
        {
            if (answer.Status is 200 or 201)
            {
                applied++;
                var logged = byCommand[command].ToList();
                if (logged.Count == 0)
                {
                    notLogged++;
                    result.Example($"direct: command {command} answered {answer.Status} (sequence {answer.Sequence}) but is not in the change log");
                }
                else if (logged[0].Sequence != answer.Sequence)
                {
                    wrongAnswer++;
                    result.Example($"direct: command {command} answered sequence {answer.Sequence}, logged as {logged[0].Sequence}");
                }
            }
            else if (answer.Status is >= 400 and < 500)
            {
                refused++;
            }
            else
            {
                unanswered++;
                result.Example($"direct: command {command} never answered (last status {answer.Status})");
            }
        }

        result.Lost += notLogged + unanswered;
        result.Differences += wrongAnswer;
        result.Lines.Add($"direct commands: {load.Direct.Count} sent, {applied} applied, {refused} refused (4xx), {unanswered} never answered, applied but not logged {notLogged}, answer ≠ log {wrongAnswer}; retried on another instance {load.Direct.Values.Count(a => a.Attempts > 1)}");

        var forms = new Dictionary<Guid, (string State, Guid? EventId, Guid? CommandId)>();
        await foreach (var row in RowsAsync(data, "SELECT id, state, registry_event_id, command_id FROM collection.forms"))
        {
            forms[(Guid)row[0]] = ((string)row[1], row[2] as Guid?, row[3] as Guid?);
        }

        long accepted = 0, rejected = 0, formsUnanswered = 0, formsLost = 0, formsWrong = 0;
        foreach (var (id, (state, eventId, commandId)) in forms)
        {
            var logged = commandId is { } c ? byCommand[c].ToList() : [];
            switch (state)
            {
                case "accepted" when eventId is { } e && byEvent.ContainsKey(e):
                    accepted++;
                    break;
                case "accepted":
                    formsLost++;
                    result.Example($"desk: form {id} accepted with event {eventId}, which is not in the change log");
                    break;
                case "rejected" when logged.Count > 0:
                    // The desk says "rejected" while the register applied its command: the desk's copy differs from the master.
                    formsWrong++;
                    result.Example($"desk: form {id} is rejected, but its command {commandId} was applied (change {logged[0].Sequence}, person {logged[0].PersonId})");
                    break;
                case "rejected":
                    rejected++;
                    break;
                default:
                    formsUnanswered++;
                    result.Example($"desk: form {id} still {state}");
                    break;
            }
        }

        var missingForms = load.Forms.Count(f => !forms.ContainsKey(f));
        result.Lost += formsUnanswered + formsLost + missingForms;
        result.Differences += formsWrong;
        result.Lines.Add($"desk forms: {load.Forms.Count} created (201), {load.FormsResubmitted} submitted again on another instance; in the desk: {forms.Count}, accepted {accepted}, rejected {rejected}, rejected but applied in the register {formsWrong}, unanswered {formsUnanswered}, accepted but not logged {formsLost}, created but missing {missingForms}");

        var records = new Dictionary<string, (string State, Guid Id)>();
        await using (var command = data.CreateCommand("SELECT record_id, state, id FROM exchange.inbound_records WHERE department_code = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = pusher });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                records[reader.GetString(0)] = (reader.GetString(1), reader.GetGuid(2));
            }
        }

        var states = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long recordsLost = 0, recordsTwice = 0, recordsWrong = 0;
        foreach (var (recordId, taken) in load.Records)
        {
            if (taken is not ("queued" or "sent" or "applied" or "rejected"))
            {
                continue;
            }

            if (!records.TryGetValue(recordId, out var stored))
            {
                recordsLost++;
                result.Example($"inbound: record {recordId} taken ({taken}) but not stored");
                continue;
            }

            states[stored.State] = states.GetValueOrDefault(stored.State) + 1;
            var logged = byCommand[stored.Id].Count();
            if ((stored.State == "applied" && logged == 0) || stored.State is "queued" or "sent")
            {
                recordsLost++;
                result.Example($"inbound: record {recordId} is {stored.State}, change log entries {logged}");
            }

            if (stored.State == "rejected" && logged > 0)
            {
                // Rejected as the department reads it back, applied in the register.
                recordsWrong++;
                result.Example($"inbound: record {recordId} is rejected, but its command {stored.Id} was applied");
            }

            recordsTwice += Math.Max(0, logged - 1);
        }

        result.Lost += recordsLost;
        result.AppliedTwice += recordsTwice;
        result.Differences += recordsWrong;
        result.Lines.Add($"department pushes: {load.Records.Count} records answered at push ({string.Join(", ", load.Records.Values.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}), {load.PushesRetried} pushes retried; taken ones now: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}; lost {recordsLost}, rejected but applied {recordsWrong}");
    }

    /// <summary>One copy of a department's events against what it is entitled to: nothing missing, nothing unentitled, no field beyond its subscription.</summary>
    private static void CheckCopy(CheckResult result, CampaignDepartment department, string channel, IReadOnlyList<string> bodies, Dictionary<(string, long), Change> expected)
    {
        var entitlements = department.Entitlements.ToDictionary(e => e.Id);
        var byId = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        var byKey = new Dictionary<(string, long), string>();
        long repeats = 0, unentitled = 0, fieldsBeyond = 0, wrong = 0, madeTwice = 0;
        foreach (var body in bodies)
        {
            var e = JsonNode.Parse(body)!;
            var id = (string)e["id"]!;
            var key = ((string)e["subscriptionid"]!, (long)e["registrysequence"]!);
            if (byId.TryGetValue(id, out var seen))
            {
                repeats++;
                if (seen != key)
                {
                    wrong++;
                    result.Example($"{department.Code} {channel}: event {id} came as {seen} and as {key}");
                }

                continue;
            }

            byId[id] = key;
            if (byKey.TryGetValue(key, out var other))
            {
                madeTwice++;
                result.Example($"{department.Code} {channel}: change {key.Item2} of subscription {key.Item1} came as events {other} and {id}");
                continue;
            }

            byKey[key] = id;
            if (!expected.TryGetValue(key, out var change) || !entitlements.TryGetValue(key.Item1, out var entitlement))
            {
                unentitled++;
                result.Example($"{department.Code} {channel}: event {id} (change {key.Item2}, subscription {key.Item1}) is not entitled");
                continue;
            }

            var data = e["data"]!;
            if ((string?)e["subject"] != change.PersonId.ToString() || (int)data["version"]! != change.Version)
            {
                wrong++;
                result.Example($"{department.Code} {channel}: event {id} says person {(string?)e["subject"]} version {(int)data["version"]!}; the register: {change.PersonId} version {change.Version}");
            }

            var fields = data["person"]!.AsObject().Select(p => p.Key).Where(k => k != "personId")
                .Concat(data["changedFields"]!.AsArray().Select(f => (string)f!));
            if (fields.Any(f => !entitlement.Fields.Contains(f)))
            {
                fieldsBeyond++;
                result.Example($"{department.Code} {channel}: event {id} carries {string.Join(',', fields.Where(f => !entitlement.Fields.Contains(f)))} beyond its subscription");
            }
        }

        var missing = expected.Keys.Count(k => !byKey.ContainsKey(k));
        foreach (var key in expected.Keys.Where(k => !byKey.ContainsKey(k)).Take(3))
        {
            result.Example($"{department.Code} {channel}: change {key.Item2} (subscription {key.Item1}, person {expected[key].PersonId} v{expected[key].Version}) missing");
        }

        result.Lost += missing;
        result.Unentitled += unentitled + fieldsBeyond;
        result.Differences += wrong;
        result.AppliedTwice += madeTwice;
        result.DuplicatesDelivered += repeats;
        result.Lines.Add($"{department.Code} {channel}: entitled {expected.Count}, received {byKey.Count} distinct ({bodies.Count} deliveries, {repeats} repeats of an event id); missing {missing}, unentitled {unentitled}, fields beyond the subscription {fieldsBeyond}, wrong person/version {wrong}, one change made twice {madeTwice}");
    }

    /// <summary>The sharing read model's persons and the analytics index's versions equal the register's, row by row, and analytics' counts by status.</summary>
    private static async Task CheckReadModelsAsync(CheckResult result, NpgsqlDataSource data)
    {
        var registry = (await PairsAsync(data, "SELECT id, version FROM registry.persons")).ToHashSet();
        var sharing = (await PairsAsync(data, "SELECT person_id, version FROM sharing.people")).ToHashSet();
        var sharingDifferences = registry.Except(sharing).Count() + sharing.Except(registry).Count();
        result.Differences += sharingDifferences;
        result.Lines.Add($"sharing read model: {sharing.Count} persons, the register {registry.Count}; rows different (person, version) {sharingDifferences}");
        foreach (var example in registry.Except(sharing).Take(3))
        {
            result.Example($"sharing: person {example.Item1} version {example.Item2} not in the read model");
        }

        var versions = (await PairsAsync(data, "SELECT id, version FROM registry.persons UNION ALL SELECT person_id, version FROM registry.person_history")).ToHashSet();
        var analytics = (await PairsAsync(data, "SELECT person_id, version FROM analytics.person_versions")).ToHashSet();
        var analyticsDifferences = versions.Except(analytics).Count() + analytics.Except(versions).Count();
        var registryByStatus = await CountsAsync(data, "SELECT status, count(*) FROM registry.persons GROUP BY status");
        var analyticsByStatus = await CountsAsync(data,
            "SELECT status, count(*) FROM analytics.person_versions v WHERE version = (SELECT max(version) FROM analytics.person_versions w WHERE w.person_id = v.person_id) GROUP BY status");
        var statusDifferences = registryByStatus.Keys.Union(analyticsByStatus.Keys).Count(k => registryByStatus.GetValueOrDefault(k) != analyticsByStatus.GetValueOrDefault(k));
        result.Differences += analyticsDifferences + statusDifferences;
        result.Lines.Add($"analytics index: {analytics.Count} person versions, the register {versions.Count}; rows different {analyticsDifferences}; persons by status (register / analytics): {string.Join(", ", registryByStatus.Keys.Union(analyticsByStatus.Keys).Order(StringComparer.Ordinal).Select(k => $"{k} {registryByStatus.GetValueOrDefault(k)}/{analyticsByStatus.GetValueOrDefault(k)}"))}");
        foreach (var example in versions.Except(analytics).Take(3))
        {
            result.Example($"analytics: person {example.Item1} version {example.Item2} not in the index");
        }
    }

    private static async Task<List<(Guid, int)>> PairsAsync(NpgsqlDataSource data, string sql)
    {
        var pairs = new List<(Guid, int)>();
        await foreach (var row in RowsAsync(data, sql))
        {
            pairs.Add(((Guid)row[0], (int)row[1]));
        }

        return pairs;
    }

    private static async Task<Dictionary<string, long>> CountsAsync(NpgsqlDataSource data, string sql)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var row in RowsAsync(data, sql))
        {
            counts[(string)row[0]] = (long)row[1];
        }

        return counts;
    }

    private static async IAsyncEnumerable<object[]> RowsAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            yield return row;
        }
    }

    /// <summary>The figures as the campaign prints them.</summary>
    public static string Describe(CheckResult result)
    {
        var text = new StringBuilder();
        foreach (var line in result.Lines)
        {
            text.AppendLine("   " + line);
        }

        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"   TOTAL changes {result.Changes}; lost {result.Lost}; applied twice {result.AppliedTwice}; unentitled {result.Unentitled}; differences {result.Differences}; duplicates delivered (same event id again) {result.DuplicatesDelivered}"));
        foreach (var example in result.Examples)
        {
            text.AppendLine("     e.g. " + example);
        }

        return text.ToString();
    }
}
