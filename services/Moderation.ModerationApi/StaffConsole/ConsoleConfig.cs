using System.Text.Json.Serialization;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.StaffConsole;

/// <summary>
/// What the console needs to know before anyone signs in, served unauthenticated at <c>/console/config.json</c>:
/// whether it may offer single sign-on, and with which provider and public client id. Nothing secret: the
/// console is a public client (authorization code flow with PKCE), so there is no client secret at all.
/// </summary>
public sealed record ConsoleConfig(ConsoleConfig.SsoSettings? Sso)
{
    /// <param name="Authority">The issuer; the console reads <c>{Authority}/.well-known/openid-configuration</c>.</param>
    /// <param name="Scopes">Space-separated scopes to ask for.</param>
    public sealed record SsoSettings(string Authority, string ClientId, string Scopes);

    public static ConsoleConfig Of(OidcOptions oidc) =>
        new(oidc.ConsoleSignIn ? new SsoSettings(oidc.Authority!.Trim(), oidc.ClientId!.Trim(), oidc.Scopes) : null);

    /// <summary>The console's CSP: requests go to this origin, and to the provider's only when SSO is on.</summary>
    [JsonIgnore]
    public string ContentSecurityPolicy { get; } = ConsoleEndpoints.ContentSecurityPolicyFor(Sso is null ? null : OriginOf(Sso.Authority));

    private static string OriginOf(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri.GetLeftPart(UriPartial.Authority)
            : throw new InvalidOperationException($"Auth:Oidc:Authority must be an absolute http(s) URL, not '{authority}'.");
}
