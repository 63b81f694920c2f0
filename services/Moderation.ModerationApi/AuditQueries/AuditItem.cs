using System.Text.Json;
using Moderation.Data.Audit;
using Moderation.ModerationApi.Audit;

namespace Moderation.ModerationApi.AuditQueries;

/// <summary>An audit entry as the API and the NDJSON export show it: before and after as JSON objects.</summary>
public sealed record AuditItem(long Id, DateTime At, string Actor, string Action, string TargetType, string TargetId, string? SiteId,
    JsonElement? Before, JsonElement? After)
{
    public static AuditItem Of(AuditEntry e) => new(e.Id, e.At, e.Actor, e.Action, e.TargetType, e.TargetId, e.SiteId,
        StoredJson.Parse(e.Before), StoredJson.Parse(e.After));
}
