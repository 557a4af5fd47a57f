using PopInfo.Domain.Access;


namespace PopInfo.Collection.Accounts;

/// <summary>
/// Moves the desk's own accounts (from before people signed in at the identity provider) into the provider,
/// password hashes kept, so that nobody has to reset: at start, in batches, with the collection's own token
/// (<c>identity.import</c>). An account the provider created or already knew is marked moved and its hash is
/// emptied here; one it refused stays (the refusal is in the log and in the provider's audit) and is tried again at
/// the next start. While the provider cannot be reached it tries again every minute.
/// </summary>
public sealed class DeskAccountsMove(DeskAccountStore store, IdentityImportClient provider, TimeProvider clock, ILogger<DeskAccountsMove> logger)
    : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var refused = new HashSet<string>(StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = (await store.NotMovedAsync(BatchSize + refused.Count, stoppingToken)).Where(a => !refused.Contains(a.User_Name)).Take(BatchSize).ToList();
                if (batch.Count == 0)
                {
                    return;
                }

                var outcomes = await provider.ImportAsync(batch, stoppingToken);
                var settled = outcomes.Where(o => o.Outcome is "created" or "exists" && o.UserName is not null).Select(o => o.UserName!).ToList();
                await store.MarkMovedAsync(settled, stoppingToken);
                foreach (var outcome in outcomes.Where(o => o.Outcome == "refused"))
                {
                    logger.LogError("The identity provider refused a desk account ({Rule}); it stays at the desk until mended", outcome.Rule);
                }

                refused.UnionWith(batch.Select(a => a.User_Name).Except(settled, StringComparer.Ordinal));
                logger.LogWarning("Moved {Created} desk accounts into the identity provider ({Existing} were there already)",
                    outcomes.Count(o => o.Outcome == "created"), outcomes.Count(o => o.Outcome == "exists"));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The desk's accounts cannot move into the identity provider yet ({Error}); trying again in a minute", ex.Message);
                await Task.Delay(RetryEvery, clock, stoppingToken);
            }
        }
    }
}

/// <summary>The identity provider's account import, with the collection's own token.</summary>
public sealed class IdentityImportClient(HttpClient http)
{
    public sealed record ImportOutcome(string? UserName, string Outcome, string? Rule);

    private sealed record Answer(IReadOnlyList<ImportOutcome> Results);

    public async Task<IReadOnlyList<ImportOutcome>> ImportAsync(IReadOnlyList<DeskAccountRow> accounts, CancellationToken ct)
    {
        var body = new
        {
            accounts = accounts.Select(a => new
            {
                userName = a.User_Name, displayName = a.Display_Name, role = a.Role,
                regionCode = a.Role == PlatformRoles.Supervisor ? a.Street_Code : a.Community_Code,
                passwordHash = a.Password_Hash, disabled = a.Disabled,
            }),
        };
        using var response = await http.PostAsJsonAsync("api/v1/accounts/import", body, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the provider answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }

        return (await response.Content.ReadFromJsonAsync<Answer>(ct))!.Results;
    }
}
