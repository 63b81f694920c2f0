using System.ComponentModel.DataAnnotations;

namespace Moderation.ModerationApi.Auth;

public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>An admin key from configuration, so a fresh install can be administered before any key exists.</summary>
    [MinLength(32, ErrorMessage = "Auth:BootstrapAdminKey must be at least 32 characters.")]
    public string? BootstrapAdminKey { get; set; }

    /// <summary>Optional single sign-on: bearer tokens from the newsroom's identity provider.</summary>
    public OidcOptions Oidc { get; set; } = new();
}

public sealed class OidcOptions
{
    /// <summary>The issuer (e.g. https://login.example.com/realms/newsroom); unset disables bearer tokens.</summary>
    public string? Authority { get; set; }
    public string? Audience { get; set; }

    /// <summary>The claim that carries roles, and the values that mean moderator and admin.</summary>
    public string RoleClaim { get; set; } = "roles";
    public string ModeratorRole { get; set; } = "moderator";
    public string AdminRole { get; set; } = "admin";

    /// <summary>The claim listing the sites a user may act on; absent means every site.</summary>
    public string SitesClaim { get; set; } = "sites";
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The console's client id at the provider: a public client (no secret) using the authorization code flow
    /// with PKCE. Unset: the API still accepts bearer tokens, but the console offers no SSO button.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>What the console asks for; the access token it gets must carry <see cref="Audience"/>.</summary>
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>Whether the console can sign people in with SSO.</summary>
    public bool ConsoleSignIn => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
