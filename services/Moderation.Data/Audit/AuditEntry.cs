using System.Text.Json;

namespace Moderation.Data.Audit;

/// <summary>One thing a person (or key) did: a decision, a settings, key or model change.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>The actor's name (an API key's name, an SSO subject, "bootstrap").</summary>
    public required string Actor { get; set; }

    /// <summary>Dotted verb, e.g. <c>comment.approve</c>, <c>site.update</c>, <c>key.create</c>, <c>model.promote</c>.</summary>
    public required string Action { get; set; }
    public required string TargetType { get; set; }
    public required string TargetId { get; set; }
    public string? SiteId { get; set; }

    /// <summary>JSON of the target before and after the change (null where there was no before or after).</summary>
    public string? Before { get; set; }
    public string? After { get; set; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>An entry with <paramref name="before"/> and <paramref name="after"/> as camelCase JSON.</summary>
    public static AuditEntry Of(DateTime at, string actor, string action, string targetType, string targetId, string? siteId,
        object? before, object? after) => new()
    {
        At = at,
        Actor = actor,
        Action = action,
        TargetType = targetType,
        TargetId = targetId,
        SiteId = siteId,
        Before = before is null ? null : JsonSerializer.Serialize(before, Json),
        After = after is null ? null : JsonSerializer.Serialize(after, Json),
    };
}
