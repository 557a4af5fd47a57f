using System.Security.Claims;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Analytics.Apis;

/// <summary>Every table, indicator set and series asked for, by whom (append-only): the trail that shows a differencing campaign.</summary>
public sealed class QueryLog(QueryLogStore store, TimeProvider clock)
{
    public const string Table = "query_log";

    public async Task WriteAsync(ClaimsPrincipal? user, string kind, string query, CancellationToken ct)
    {
        var caller = CallerOf(user);
        await store.AppendAsync(clock.GetUtcNow(), caller, kind, query.Length > 2000 ? query[..2000] : query, ct);
    }

    /// <summary>
    /// The answer to a query, counted while the query is written to the log: the log's round trip overlaps the count, and
    /// the answer still leaves only once the query is logged.
    /// </summary>
    public async Task<T> LoggedAsync<T>(ClaimsPrincipal? user, string kind, string query, Func<T> answer, CancellationToken ct)
    {
        var logged = WriteAsync(user, kind, query, ct);
        var result = answer();
        await logged;
        return result;
    }

    // A planner through the dashboard's client: "client/person"; a client for itself: its id; no token: open data.
    private static string CallerOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return "open-data";
        }

        var token = TokenCaller.From(user);
        return token.Subject == token.Source ? token.Source : $"{token.Source}/{token.Subject}";
    }

    public sealed class Row
    {
        public DateTimeOffset At { get; init; }
        public string Caller { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Query { get; init; } = "";
    }

    public Task<IReadOnlyList<Row>> LatestAsync(int limit, CancellationToken ct) => store.LatestAsync(limit, ct);
}
