using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Monitoring.Dashboard;

/// <summary>
/// The monitoring page's record of its sessions: the service's log, the user name and role only (the provider audits every
/// sign-in; the operators' trail every change an operator makes).
/// </summary>
public sealed class MonitorSignInEvents(ILogger<MonitorSignInEvents> logger) : LoggedSignInEvents(logger, "Monitoring dashboard");
