using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Analytics.Dashboard;

/// <summary>
/// The dashboard's record of its sessions: the service's log (it keeps no audit table of people; the provider audits
/// every sign-in, and the query log every figure asked for). Only the user name and role, never a person's data.
/// </summary>
public sealed class DashboardSignInEvents(ILogger<DashboardSignInEvents> logger) : LoggedSignInEvents(logger, "Dashboard");
