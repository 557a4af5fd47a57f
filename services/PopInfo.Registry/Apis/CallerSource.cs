using System.Security.Claims;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Apis;

internal static class CallerSource
{
    /// <summary>
    /// The command as sent, with its source taken from the caller's token (<c>client:{client id}</c>) and its actor
    /// the token's person, if it was made for one — never from the body: a caller cannot claim to be another.
    /// </summary>
    public static T From<T>(this T request, ClaimsPrincipal user) where T : RegistryCommand
    {
        var caller = TokenCaller.From(user);
        return (T)((RegistryCommand)request with
        {
            Source = "client:" + caller.Source,
            Actor = caller.Subject.Length > 0 && caller.Subject != caller.Source ? "person:" + caller.Subject : null,
        });
    }
}
