using System.Security.Claims;
using Moderation.Data;
using Moderation.Data.Audit;
using Moderation.ModerationApi.Auth;

namespace Moderation.ModerationApi.Audit;

/// <summary>
/// Adds audit entries to the same unit of work as the change they describe, so a change is never saved
/// without its entry (callers save once).
/// </summary>
public sealed class AuditLog(TimeProvider clock)
{
    public AuditEntry Record(ModerationDb db, ClaimsPrincipal actor, string action, string targetType, string targetId,
        string? siteId, object? before, object? after)
    {
        var entry = Entry(actor.Actor(), action, targetType, targetId, siteId, before, after);
        db.Audit.Add(entry);
        return entry;
    }

    public AuditEntry Entry(string actor, string action, string targetType, string targetId, string? siteId, object? before, object? after) =>
        AuditEntry.Of(clock.GetUtcNow().UtcDateTime, actor, action, targetType, targetId, siteId, before, after);
}
