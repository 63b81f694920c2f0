using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Moderation.Data.Access;
using Moderation.ServiceDefaults;

namespace Moderation.ModerationApi.Auth;

public static class AuthExtensions
{
    /// <summary>The scheme endpoints ask for: an SSO bearer token when one is sent and configured, else an API key.</summary>
    public const string StaffScheme = "Staff";

    public static IHostApplicationBuilder AddStaffAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AuthOptions>(AuthOptions.SectionName);
        services.AddMemoryCache();
        var oidc = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()?.Oidc ?? new OidcOptions();
        var useSso = !string.IsNullOrWhiteSpace(oidc.Authority);

        var authentication = services.AddAuthentication(StaffScheme)
            .AddPolicyScheme(StaffScheme, "API key or SSO bearer token", scheme => scheme.ForwardDefaultSelector = http =>
                useSso && http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (useSso)
        {
            authentication.AddJwtBearer(jwt =>
            {
                jwt.Authority = oidc.Authority;
                jwt.Audience = oidc.Audience;
                jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                jwt.MapInboundClaims = false;
                jwt.Events = new JwtBearerEvents { OnTokenValidated = context => MapSsoClaims(context, oidc) };
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Staff.ModeratorPolicy, policy => policy.RequireRole(Staff.ModeratorRole, Staff.AdminRole))
            .AddPolicy(Staff.AdminPolicy, policy => policy.RequireRole(Staff.AdminRole));
        return builder;
    }

    /// <summary>An SSO user is a moderator or admin by the configured role claim; anyone else is turned away (403).</summary>
    private static Task MapSsoClaims(TokenValidatedContext context, OidcOptions oidc)
    {
        var token = context.Principal!;
        var roles = token.FindAll(oidc.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        StaffRole? role = roles.Contains(oidc.AdminRole) ? StaffRole.Admin
            : roles.Contains(oidc.ModeratorRole) ? StaffRole.Moderator : null;
        var name = token.FindFirst("preferred_username")?.Value ?? token.FindFirst("email")?.Value
            ?? token.FindFirst("sub")?.Value ?? "sso-user";
        if (role is null)
        {
            context.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], JwtBearerDefaults.AuthenticationScheme));
            return Task.CompletedTask;
        }
        var sites = token.FindAll(oidc.SitesClaim).Select(c => c.Value);
        context.Principal = new ClaimsPrincipal(Staff.Identity(JwtBearerDefaults.AuthenticationScheme, name, role.Value, sites));
        return Task.CompletedTask;
    }
}
