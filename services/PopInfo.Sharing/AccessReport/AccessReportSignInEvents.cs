using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Sharing.AccessReport;

/// <summary>The page's record of its sessions: the service's log, the user name and role only (every report asked is in the access audit).</summary>
public sealed class AccessReportSignInEvents(ILogger<AccessReportSignInEvents> logger) : LoggedSignInEvents(logger, "Access report");
