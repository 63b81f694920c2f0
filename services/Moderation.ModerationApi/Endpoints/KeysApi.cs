using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Moderation.Data;
using Moderation.Data.Access;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.Endpoints;

/// <summary><c>/api/v1/admin/keys</c>: create (the key is in the answer, once), list, revoke.</summary>
public static class KeysApi
{
    public sealed record CreateKeyRequest(string? Name, string? Role, string[]? Sites);

    public sealed record CreatedKey(string Key, KeyView Details);

    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder admin)
    {
        var keys = admin.MapGroup("/keys");
        keys.MapGet("/", async (ModerationDb db, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Ok((await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct)).Where(k => user.Covers(k)).Select(KeyView.Of)))
            .WithSummary("Every API key this credential may manage, revoked ones included, without secrets.");
        keys.MapPost("/", CreateAsync).WithSummary("Creates a key; the answer holds the key itself, shown this once.");
        keys.MapDelete("/{id:guid}", RevokeAsync).WithSummary("Revokes a key; it stops working at once on this instance, within 5 seconds on the others.");
        return admin;
    }

    private static async Task<IResult> CreateAsync(CreateKeyRequest request, ModerationDb db, AuditLog audit,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(request, out var role);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var sites = request.Sites?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        var known = await db.Sites.Where(s => sites.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        if (sites.Except(known).ToList() is { Count: > 0 } unknown)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sites"] = [$"Unknown site(s): {string.Join(", ", unknown)}."] });
        if (user.Sites() is { } mine && (sites.Count == 0 || sites.Any(s => !mine.Contains(s))))
            return ForbiddenBeyondScope();

        var (secret, key) = ApiKeys.New(request.Name!.Trim(), role, sites, user.Actor(), clock.GetUtcNow().UtcDateTime);
        db.ApiKeys.Add(key);
        audit.Record(db, user, "key.create", "key", key.Id.ToString(), null, null, KeyView.Of(key));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/admin/keys/{key.Id}", new CreatedKey(secret, KeyView.Of(key)));
    }

    private static async Task<IResult> RevokeAsync(Guid id, ModerationDb db, AuditLog audit, ClaimsPrincipal user,
        TimeProvider clock, IMemoryCache cache, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No API key {id}.");
        if (!user.Covers(key)) return ForbiddenBeyondScope();
        if (key.RevokedAt is not null) return TypedResults.Ok(KeyView.Of(key));
        var before = KeyView.Of(key);
        key.RevokedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, user, "key.revoke", "key", key.Id.ToString(), null, before, KeyView.Of(key));
        await db.SaveChangesAsync(ct);
        ApiKeyAuthenticationHandler.Forget(cache, key);
        return TypedResults.Ok(KeyView.Of(key));
    }

    /// <summary>A credential limited to sites manages only keys limited to some of those sites (never an every-site key).</summary>
    private static bool Covers(this ClaimsPrincipal user, ApiKey key) =>
        user.Sites() is not { } mine || key.Sites.Count > 0 && key.Sites.All(mine.Contains);

    private static IResult ForbiddenBeyondScope() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
        detail: "This credential is limited to some sites: it manages only keys limited to those sites.");

    private static Dictionary<string, string[]> Validate(CreateKeyRequest request, out StaffRole role)
    {
        var errors = new Dictionary<string, string[]>();
        StaffRole? parsed = request.Role?.ToLowerInvariant() switch
        {
            Staff.ModeratorRole => StaffRole.Moderator,
            Staff.AdminRole => StaffRole.Admin,
            _ => null,
        };
        role = parsed ?? StaffRole.Moderator;
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
            errors["name"] = ["A name of 1 to 200 characters is required: whose key it is."];
        if (parsed is null)
            errors["role"] = ["Role must be 'moderator' or 'admin'."];
        if (request.Sites?.Any(string.IsNullOrWhiteSpace) == true)
            errors["sites"] = ["Site ids must not be empty."];
        return errors;
    }
}
