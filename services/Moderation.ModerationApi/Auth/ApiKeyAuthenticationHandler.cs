using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Moderation.Data;
using Moderation.Data.Access;

namespace Moderation.ModerationApi.Auth;

/// <summary>
/// Authenticates <c>X-Api-Key</c>: the bootstrap key from configuration, or a stored key by its hash.
/// Lookups are cached for a few seconds: a key revoked on this instance stops working at once (<see cref="Forget"/>),
/// on the others within <see cref="CacheFor"/>;
/// the last-used time is written at most once a minute per key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth,
    IMemoryCache cache,
    IServiceScopeFactory scopes,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string BootstrapActor = "bootstrap";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values)) return AuthenticateResult.NoResult();
        var presented = values.ToString();
        if (presented.Length is 0 or > 200) return AuthenticateResult.Fail("Malformed API key.");

        var hash = ApiKeySecrets.Hash(presented);
        if (IsBootstrap(hash))
            return Success(Staff.Identity(SchemeName, BootstrapActor, StaffRole.Admin, []));

        var key = await cache.GetOrCreateAsync(CacheKey(hash), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
            return await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash, Context.RequestAborted);
        });
        if (key is null || key.RevokedAt is not null) return AuthenticateResult.Fail("Unknown or revoked API key.");

        await TouchAsync(key);
        return Success(Staff.Identity(SchemeName, key.Name, key.Role, key.Sites, key.Id));
    }

    /// <summary>Drops this instance's cached copy of a key (after a revoke), so that the next request reads the database.</summary>
    public static void Forget(IMemoryCache cache, ApiKey key) => cache.Remove(CacheKey(key.KeyHash));

    private static string CacheKey(string hash) => $"apikey:{hash}";

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return base.HandleChallengeAsync(properties);
    }

    private bool IsBootstrap(string hash)
    {
        var bootstrap = auth.Value.BootstrapAdminKey;
        if (string.IsNullOrEmpty(bootstrap)) return false;
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(ApiKeySecrets.Hash(bootstrap)));
    }

    private async Task TouchAsync(ApiKey key)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (key.LastUsedAt is { } last && now - last < TouchEvery) return;
        key.LastUsedAt = now; // the cached copy: the next requests within the minute skip the write
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now));
    }

    private AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
}
