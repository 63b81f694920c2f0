using System.Security.Claims;
using Moderation.Data.Audit;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.AuditQueries;

/// <summary>
/// The audit log's filters, shared by the listing and the export. <c>action</c> is a dotted verb (<c>site.update</c>) or its
/// first part (<c>site</c>: every site action). A credential limited to sites sees only entries about those sites.
/// </summary>
public sealed record AuditFilter(string? Actor, string? Action, string? SiteId, string? TargetId, DateTime? From, DateTime? To)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (From is { } from && To is { } to && from >= to) errors["from"] = ["from must be before to."];
        foreach (var (field, value, max) in new[] { ("actor", Actor, 200), ("action", Action, 64), ("siteId", SiteId, 100), ("targetId", TargetId, 200) })
            if (value is { Length: var length } && length > max) errors[field] = [$"{field} is at most {max} characters."];
        return errors;
    }

    /// <summary>Null when the credential may not see <see cref="SiteId"/> (403).</summary>
    public IQueryable<AuditEntry>? Apply(IQueryable<AuditEntry> entries, ClaimsPrincipal user)
    {
        if (SiteId is not null && !user.CanActOn(SiteId)) return null;
        if (user.Sites() is { } sites) entries = entries.Where(e => e.SiteId != null && sites.Contains(e.SiteId));
        if (!string.IsNullOrEmpty(Actor)) entries = entries.Where(e => e.Actor == Actor);
        if (!string.IsNullOrEmpty(Action))
        {
            var prefix = Action + ".";
            entries = entries.Where(e => e.Action == Action || e.Action.StartsWith(prefix));
        }
        if (!string.IsNullOrEmpty(SiteId)) entries = entries.Where(e => e.SiteId == SiteId);
        if (!string.IsNullOrEmpty(TargetId)) entries = entries.Where(e => e.TargetId == TargetId);
        if (From is { } from) { var f = from.ToUniversalTime(); entries = entries.Where(e => e.At >= f); }
        if (To is { } to) { var t = to.ToUniversalTime(); entries = entries.Where(e => e.At < t); }
        return entries;
    }
}
