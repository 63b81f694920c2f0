using System.Text.Json;
using Moderation.Data.Models;
using Moderation.ModerationApi.Audit;
using Moderation.Spam;

namespace Moderation.ModerationApi.Models;

/// <summary>
/// A model version as listed: everything but the artifact. <see cref="Servable"/> is false for a version of another feature
/// schema than this build's (trained before an upgrade): the workers refuse it and serve the built-in default instead.
/// </summary>
public sealed record ModelView(string Version, string? Trainer, DateTime CreatedAt, bool IsActive, DateTime? PromotedAt, int? FeatureSchema,
    bool Servable, JsonElement? Metrics)
{
    public static ModelView Of(string version, string? trainer, DateTime createdAt, bool isActive, DateTime? promotedAt, string? metricsJson)
    {
        var metrics = StoredJson.Parse(metricsJson);
        int? schema = metrics is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("featureSchema", out var value)
            && value.TryGetInt32(out var number) ? number : null;
        // Metrics that name no schema (no version is stored so) are listed as servable: only loading the file could tell.
        return new ModelView(version, trainer, createdAt, isActive, promotedAt, schema,
            schema is null || schema == CommentFeatures.SchemaVersion, metrics);
    }
}

/// <summary>A training job as its row says.</summary>
public sealed record TrainingJobView(Guid Id, string State, double Progress, string? Message, string? ResultVersion,
    string RequestedBy, DateTime RequestedAt, DateTime? FinishedAt)
{
    public static TrainingJobView Of(TrainingJob job) => new(job.Id, job.State.ToString().ToLowerInvariant(), job.Progress, job.Message,
        job.ResultVersion, job.RequestedBy, job.RequestedAt, job.FinishedAt);
}
