namespace Moderation.Data.Models;

/// <summary>A trained spam model: its artifact, how it measured, and whether workers serve it.</summary>
public sealed class SpamModelVersion
{
    public required string Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? Trainer { get; set; }

    /// <summary>The evaluation that came with it (JSON), shown to admins before they promote.</summary>
    public string? MetricsJson { get; set; }

    public required byte[] Artifact { get; set; }

    /// <summary>At most one version is active; the workers serve it.</summary>
    public bool IsActive { get; set; }
    public DateTime? PromotedAt { get; set; }
}
