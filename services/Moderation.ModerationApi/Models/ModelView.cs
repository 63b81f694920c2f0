using System.Text.Json;
using Moderation.Data.Models;

namespace Moderation.ModerationApi.Models;

/// <summary>A model version as listed: everything but the artifact.</summary>
public sealed record ModelView(string Version, string? Trainer, DateTime CreatedAt, bool IsActive, DateTime? PromotedAt, JsonElement? Metrics);

/// <summary>A training job as its row says.</summary>
public sealed record TrainingJobView(Guid Id, string State, double Progress, string? Message, string? ResultVersion,
    string RequestedBy, DateTime RequestedAt, DateTime? FinishedAt)
{
    public static TrainingJobView Of(TrainingJob job) => new(job.Id, job.State.ToString().ToLowerInvariant(), job.Progress, job.Message,
        job.ResultVersion, job.RequestedBy, job.RequestedAt, job.FinishedAt);
}
