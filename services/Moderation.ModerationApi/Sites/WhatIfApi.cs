using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.Sites;

/// <summary><c>GET /api/v1/admin/sites/{siteId}/what-if</c>: what proposed thresholds would have done to the site's scored comments.</summary>
public static class WhatIfApi
{
    /// <summary>The window when none is given: the last 30 days.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public sealed record Thresholds(double ApproveBelow, double RejectAbove);

    public sealed record LabelledOutcome(int Spam, int Ham, int SpamPublished, int HamSpammed, int SpamHeld, int HamHeld);

    public sealed record Histogram(double BinWidth, int[] Spam, int[] Ham);

    public sealed record WhatIf(string SiteId, double ApproveBelow, double RejectAbove, Thresholds Current, DateTime From, DateTime To,
        int Scored, int WouldApprove, int WouldHold, int WouldSpam, LabelledOutcome Labelled, Histogram Histogram);

    public static RouteGroupBuilder MapWhatIf(this RouteGroupBuilder sites)
    {
        sites.MapGet("/{siteId}/what-if", GetAsync)
            .WithSummary("For proposed thresholds and a window (default: the last 30 days, by submission time): how the site's scored comments would be decided, how the labelled ones would have fared, and the score histogram of labelled spam and ham.");
        return sites;
    }

    private static async Task<IResult> GetAsync(string siteId, double? approveBelow, double? rejectAbove, DateTime? from, DateTime? to,
        ModerationDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (!user.CanActOn(siteId)) return Staff.ForbiddenSite(siteId);
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == siteId)
            .Select(s => new Thresholds(s.ApproveBelow, s.RejectAbove)).FirstOrDefaultAsync(ct);
        if (site is null) return SitesApi.NoSuchSite(siteId);

        var proposed = new Thresholds(approveBelow ?? site.ApproveBelow, rejectAbove ?? site.RejectAbove);
        var end = (to ?? clock.GetUtcNow().UtcDateTime).ToUniversalTime();
        var start = (from ?? end - DefaultWindow).ToUniversalTime();
        var errors = Validate(proposed, start, end);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The what-if parameters are invalid.");

        var query = new WhatIfQuery(db, siteId, start, end);
        var decided = await query.DecisionsAsync(proposed.ApproveBelow, proposed.RejectAbove, ct);
        var labelled = await query.LabelledAsync(proposed.ApproveBelow, proposed.RejectAbove, ct);
        var (spam, ham) = await query.HistogramsAsync(ct);
        return TypedResults.Ok(new WhatIf(siteId, proposed.ApproveBelow, proposed.RejectAbove, site, start, end,
            decided.Scored, decided.Approve, decided.Scored - decided.Approve - decided.Spam, decided.Spam,
            labelled, new Histogram(WhatIfQuery.BinWidth, spam, ham)));
    }

    private static Dictionary<string, string[]> Validate(Thresholds proposed, DateTime from, DateTime to)
    {
        var errors = new Dictionary<string, string[]>();
        if (proposed.ApproveBelow is not (>= 0 and <= 1)) errors["approveBelow"] = ["approveBelow must be between 0 and 1."];
        if (proposed.RejectAbove is not (>= 0 and <= 1)) errors["rejectAbove"] = ["rejectAbove must be between 0 and 1."];
        else if (!errors.ContainsKey("approveBelow") && proposed.ApproveBelow > proposed.RejectAbove)
            errors["rejectAbove"] = [$"rejectAbove ({proposed.RejectAbove}) must not be below approveBelow ({proposed.ApproveBelow})."];
        if (from >= to) errors["from"] = ["from must be before to."];
        return errors;
    }
}
