using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Outbox;
using Moderation.Data.Sites;
using Moderation.ModerationApi.Audit;
using Moderation.ModerationApi.Auth;
using Moderation.ServiceDefaults.Outbox;

namespace Moderation.ModerationApi.Sites;

/// <summary>
/// <c>/api/v1/admin/sites</c>: list, read, create, update. Every save is audited and announced with
/// <see cref="SiteSettingsChanged"/>, on which every ingestion instance and worker reloads its sites.
/// </summary>
public static class SitesApi
{
    public static RouteGroupBuilder MapSitesApi(this RouteGroupBuilder admin)
    {
        var sites = admin.MapGroup("/sites");
        sites.MapGet("/", ListAsync).WithSummary("Every site this credential may act on.");
        sites.MapGet("/{siteId}", GetAsync).WithSummary("One site's settings.");
        sites.MapPost("/", CreateAsync).WithSummary("Creates a site (409 when the id is taken).");
        sites.MapPut("/{siteId}", UpdateAsync)
            .WithSummary("Changes a site's settings; fields left out keep their values. Every instance applies it within seconds.");
        sites.MapWhatIf();
        return admin;
    }

    private static async Task<Ok<List<SiteView>>> ListAsync(ModerationDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var query = db.Sites.AsNoTracking();
        if (user.Sites() is { } allowed) query = query.Where(s => allowed.Contains(s.Id));
        var sites = await query.OrderBy(s => s.Id).ToListAsync(ct);
        return TypedResults.Ok(sites.Select(SiteView.Of).ToList());
    }

    private static async Task<IResult> GetAsync(string siteId, ModerationDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!user.CanActOn(siteId)) return Staff.ForbiddenSite(siteId);
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId, ct);
        return site is null ? NoSuchSite(siteId) : TypedResults.Ok(SiteView.Of(site));
    }

    private static async Task<IResult> CreateAsync(SiteRequest request, ModerationDb db, AuditLog audit, OutboxDispatcher outbox,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var site = new Site { Id = "", Name = "" };
        var errors = SiteValidation.TryApply(request, site, creating: true);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The site has invalid fields.");
        if (!user.CanActOn(site.Id)) return Staff.ForbiddenSite(site.Id);
        if (await db.Sites.AnyAsync(s => s.Id == site.Id, ct)) return Taken(site.Id);

        site.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        db.Sites.Add(site);
        audit.Record(db, user, "site.create", "site", site.Id, site.Id, null, SiteView.Of(site));
        db.AddEvents([new SiteSettingsChanged(site.Id, site.UpdatedAt)], site.UpdatedAt);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Created by someone else between the check and the save?
            if (await db.Sites.AsNoTracking().AnyAsync(s => s.Id == site.Id, ct)) return Taken(site.Id);
            throw;
        }
        outbox.Wake();
        return TypedResults.Created($"/api/v1/admin/sites/{site.Id}", SiteView.Of(site));
    }

    private static async Task<IResult> UpdateAsync(string siteId, SiteRequest request, ModerationDb db, AuditLog audit,
        OutboxDispatcher outbox, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (!user.CanActOn(siteId)) return Staff.ForbiddenSite(siteId);
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null) return NoSuchSite(siteId);
        if (request.Id is not null && request.Id != siteId)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["A site's id cannot change."] },
                title: "The site has invalid fields.");

        var before = SiteView.Of(site);
        var errors = SiteValidation.TryApply(request, site, creating: false);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The site has invalid fields.");
        site.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, user, "site.update", "site", site.Id, site.Id, before, SiteView.Of(site));
        db.AddEvents([new SiteSettingsChanged(site.Id, site.UpdatedAt)], site.UpdatedAt);
        await db.SaveChangesAsync(ct);
        outbox.Wake();
        return TypedResults.Ok(SiteView.Of(site));
    }

    public static IResult NoSuchSite(string siteId) => AdminScope.NotFound($"No site '{siteId}'.");

    private static IResult Taken(string siteId) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "Conflict", detail: $"A site with id '{siteId}' already exists.");
}
