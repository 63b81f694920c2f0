using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.Endpoints;

public static class StaffEndpoints
{
    public sealed record Me(string Name, string Role, IReadOnlyList<string>? Sites);

    /// <summary>A site as a moderator needs it: which origins its articles are on.</summary>
    public sealed record SiteOrigins(string Id, string Name, IReadOnlyList<string> AllowedOrigins);

    /// <summary><c>GET /me</c>: who this credential is — the console's login check; <c>GET /sites</c>: its sites' origins.</summary>
    public static RouteGroupBuilder MapStaffEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(
                user.Actor(), user.IsAdmin() ? Staff.AdminRole : Staff.ModeratorRole, user.Sites())))
            .WithSummary("The caller's name, role and sites (null: every site).");
        group.MapGet("/sites", SitesAsync)
            .WithSummary("The sites this credential may act on, with their allowed origins: the console links a comment's article only on those.");
        return group;
    }

    private static async Task<Ok<List<SiteOrigins>>> SitesAsync(ModerationDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var query = db.Sites.AsNoTracking();
        if (user.Sites() is { } allowed) query = query.Where(s => allowed.Contains(s.Id));
        var sites = await query.OrderBy(s => s.Id).ToListAsync(ct);
        return TypedResults.Ok(sites.Select(s => new SiteOrigins(s.Id, s.Name, [.. s.AllowedOrigins])).ToList());
    }
}
