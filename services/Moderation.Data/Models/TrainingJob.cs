namespace Moderation.Data.Models;

public enum TrainingJobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>A retraining from moderators' labels, run in the background; admins watch its progress.</summary>
public sealed class TrainingJob
{
    public Guid Id { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public TrainingJobState State { get; set; }

    /// <summary>0 to 1, and what it is doing now ("loading 12,400 labels", "cross-validating 3/5").</summary>
    public double Progress { get; set; }
    public string? Message { get; set; }

    /// <summary>The model version it registered (not promoted), when it succeeded.</summary>
    public string? ResultVersion { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>Written while it runs: a running job whose heartbeat stopped was left by an instance that died.</summary>
    public DateTime? HeartbeatAt { get; set; }
}
