using System.Security.Claims;
using PopInfo.Registry.Commands;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Apis;

internal static class CallerSource
{
    /// <summary>
    /// The command as sent, with its source taken from the caller's token (<c>client:{client id}</c>), never
    /// from the body: a caller cannot claim to be another.
    /// </summary>
    public static T From<T>(this T request, ClaimsPrincipal user) where T : CommandRequest =>
        (T)((CommandRequest)request with { Source = "client:" + TokenCaller.From(user).Source });
}
