using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using PopInfo.ServiceDefaults.Messaging;
using PopInfo.Contracts.Identity;
using PopInfo.Identity.Server;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Audit;
using PopInfo.Identity.Clients;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Identity.Apis;

/// <summary>The platform's OAuth clients, for administrators.</summary>
public static class ClientsApi
{
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/clients").WithTags("Clients").WithGroupName(IdentityModule.Name)
            .RequireIdentityAdmin();
        api.MapGet("", ListClients).WithName("IdentityListClients").WithSummary("Every OAuth client: platform services and departments, with status and scopes.");
        api.MapPost("", CreateDepartmentClient).WithName("IdentityCreateDepartmentClient")
            .WithSummary("A department's client dept-{code} (client credentials) with its scopes; the secret is in this answer only.");
        api.MapPost("/{clientId}/secret", RotateSecret).WithName("IdentityRotateClientSecret")
            .WithSummary("A new secret for a department's client, in this answer only; the previous one works on for overlapMinutes (default a day; 0: it stops at once).");
        api.MapDelete("/{clientId}/previous-secret", EndSecretOverlap).WithName("IdentityEndClientSecretOverlap")
            .WithSummary("Ends a secret rotation's overlap early: from now only the new secret works.");
        api.MapPost("/{clientId}/suspend", SuspendClient)
            .WithName("IdentitySuspendClient").WithSummary("The client gets no more tokens; those it holds expire within a minute.");
        api.MapPost("/{clientId}/activate", ActivateClient)
            .WithName("IdentityActivateClient").WithSummary("The client may get tokens again.");
        return app;
    }

    /// <summary>A change of status names the version the administrator saw.</summary>
    public sealed record StatusChange(int? ExpectedVersion, string? Reason);

    public static async Task<Results<Created<DepartmentClients.IssuedSecret>, ProblemHttpResult>> CreateDepartmentClient(
        DepartmentClients.NewDepartmentClient body, ClaimsPrincipal user, HttpContext http, DepartmentClients departments, CancellationToken ct)
    {
        var result = await departments.CreateAsync(Actor.Of(user, http), body, ct);
        return result.Value is not { } issued ? result.Refusal!.ToTypedResult() : TypedResults.Created($"/api/v1/clients/{issued.ClientId}", issued);
    }

    public static async Task<Results<Ok<DepartmentClients.RotatedSecret>, ProblemHttpResult>> RotateSecret(
        string clientId, DepartmentClients.SecretRotation? body, ClaimsPrincipal user, HttpContext http, DepartmentClients departments, CancellationToken ct)
    {
        var result = await departments.RotateSecretAsync(Actor.Of(user, http), clientId, body, ct);
        return result.Value is not { } issued ? result.Refusal!.ToTypedResult() : TypedResults.Ok(issued);
    }

    public static async Task<Results<Ok<ClientView>, ProblemHttpResult>> EndSecretOverlap(
        string clientId, ClaimsPrincipal user, HttpContext http, DepartmentClients departments, TimeProvider clock, CancellationToken ct)
    {
        var result = await departments.EndOverlapAsync(Actor.Of(user, http), clientId, ct);
        return result.Value is not { } client ? result.Refusal!.ToTypedResult() : TypedResults.Ok(View(client, clock.GetUtcNow()));
    }


    public static Task<Results<Ok<ClientView>, ProblemHttpResult>> SuspendClient(string clientId, StatusChange body, ClaimsPrincipal user, HttpContext http,
        ClientStore clients, AuditLog audit, RelaySignal<StatusRelay> relay, TimeProvider clock, CancellationToken ct) =>
        SetStatusAsync(clientId, ClientStore.Suspended, body, user, http, clients, audit, relay, clock, ct);

    public static Task<Results<Ok<ClientView>, ProblemHttpResult>> ActivateClient(string clientId, StatusChange body, ClaimsPrincipal user, HttpContext http,
        ClientStore clients, AuditLog audit, RelaySignal<StatusRelay> relay, TimeProvider clock, CancellationToken ct) =>
        SetStatusAsync(clientId, ClientStore.Active, body, user, http, clients, audit, relay, clock, ct);

    /// <summary>
    /// Suspends or activates a client: no more tokens for it (those held expire within a minute), and every service
    /// hears it (<see cref="ClientStatusChanged"/>, queued with the change and published by <see cref="StatusRelay"/>):
    /// the exchange stops a suspended department's deliveries too.
    /// </summary>
    private static async Task<Results<Ok<ClientView>, ProblemHttpResult>> SetStatusAsync(string clientId, string status, StatusChange body,
        ClaimsPrincipal user, HttpContext http, ClientStore clients, AuditLog audit, RelaySignal<StatusRelay> relay, TimeProvider clock, CancellationToken ct)
    {
        var caller = TokenCaller.From(user);
        var action = status == ClientStore.Active ? "client.activate" : "client.suspend";
        var violations = new List<RuleViolation>();
        if (body.ExpectedVersion is null)
        {
            violations.Add(new("expectedVersion", "required", "Give the version of the client you saw."));
        }

        if (body.Reason is { Length: > 500 })
        {
            violations.Add(new("reason", "text.length", "The reason is at most 500 characters."));
        }
        else if (TextViolations.Of("reason", body.Reason, multiLine: true) is { } poisoned)
        {
            violations.Add(poisoned);
        }

        if (violations.Count > 0)
        {
            return TypedResults.Problem(Problem.Validation(violations));
        }

        var current = await clients.FindAsync(clientId, ct);
        if (current is null)
        {
            return TypedResults.Problem(Problem.NotFound($"No client {clientId}."));
        }

        if (!await clients.SetStatusAsync(clientId, status, body.ExpectedVersion!.Value, caller.Subject, ct))
        {
            await audit.WriteAsync(new(caller.Subject, caller.Role, action, clientId, "refused", "stale version", http.Connection.RemoteIpAddress?.ToString()), ct);
            return TypedResults.Problem(Problem.VersionConflict(body.ExpectedVersion.Value, current.Version));
        }

        await audit.WriteAsync(new(caller.Subject, caller.Role, action, clientId, "ok",
            $"{current.Status} -> {status}" + (body.Reason is null ? "" : $": {body.Reason}"), http.Connection.RemoteIpAddress?.ToString()), ct);
        relay.Notify();
        var changed = (await clients.FindAsync(clientId, ct))!;
        return TypedResults.Ok(View(changed, clock.GetUtcNow()));
    }

    private static ClientView View(ClientStore.ClientRow c, DateTimeOffset now) =>
        new(c.Client_Id, c.Kind, c.Display_Name, c.Status, c.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), c.Version,
            c.AcceptsPreviousSecret(now) ? c.Previous_Secret_Expires_At : null);

    /// <summary>A client as administrators see it; <c>previousSecretExpiresAt</c>: until when a rotation's previous secret works.</summary>
    public sealed record ClientView(string ClientId, string Kind, string DisplayName, string Status, IReadOnlyList<string> Scopes, int Version,
        DateTimeOffset? PreviousSecretExpiresAt = null);

    public static async Task<Ok<IReadOnlyList<ClientView>>> ListClients(ClientStore clients, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ClientView>>([.. (await clients.ListAsync(ct)).Select(c => View(c, clock.GetUtcNow()))]);
}
