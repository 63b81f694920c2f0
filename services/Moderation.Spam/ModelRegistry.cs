using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Models;
using Moderation.Data.Outbox;
using Moderation.ServiceDefaults.Outbox;

namespace Moderation.Spam;

/// <summary>
/// Stores trained model versions and chooses the one every worker serves. The switch and its
/// <see cref="SpamModelPromoted"/> event are saved together (outbox): a host without a dispatcher of its own leaves
/// the event to the next sweep of one that has (the moderation API's, ingestion's).
/// </summary>
public sealed class ModelRegistry(ModerationDb db, OutboxDispatcher? outbox = null)
{
    public async Task RegisterAsync(string version, byte[] artifact, string? trainer, string? metricsJson, CancellationToken ct)
    {
        if (await db.SpamModels.AnyAsync(m => m.Version == version, ct))
            throw new InvalidOperationException($"Model version '{version}' already exists.");
        db.SpamModels.Add(new SpamModelVersion
        {
            Version = version,
            Artifact = artifact,
            Trainer = trainer,
            MetricsJson = metricsJson,
            CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Makes <paramref name="version"/> the served model and tells every worker.</summary>
    public async Task PromoteAsync(string version, CancellationToken ct)
    {
        var models = await db.SpamModels.Where(m => m.IsActive || m.Version == version).ToListAsync(ct);
        var target = models.SingleOrDefault(m => m.Version == version)
            ?? throw new KeyNotFoundException($"No model version '{version}'.");
        foreach (var model in models) model.IsActive = model == target;
        target.PromotedAt = DateTime.UtcNow;
        await SaveAndAnnounceAsync(new SpamModelPromoted(version, target.PromotedAt.Value), ct);
    }

    /// <summary>Serves the version promoted before the current one again, or the default when there is none.</summary>
    public async Task<string> RollBackAsync(CancellationToken ct)
    {
        var promoted = await db.SpamModels.AsNoTracking().Where(m => m.PromotedAt != null)
            .OrderByDescending(m => m.PromotedAt).Select(m => m.Version).Take(2).ToListAsync(ct);
        if (promoted.Count == 2)
        {
            await PromoteAsync(promoted[1], ct);
            return promoted[1];
        }
        foreach (var model in await db.SpamModels.Where(m => m.IsActive).ToListAsync(ct)) model.IsActive = false;
        await SaveAndAnnounceAsync(new SpamModelPromoted(DefaultVersion, DateTime.UtcNow), ct);
        return DefaultVersion;
    }

    private async Task SaveAndAnnounceAsync(SpamModelPromoted promoted, CancellationToken ct)
    {
        db.AddEvents([promoted], promoted.PromotedAt);
        await db.SaveChangesAsync(ct);
        outbox?.Wake();
    }

    /// <summary>What <see cref="ModelHolder.Version"/> reads while no version is active.</summary>
    public const string DefaultVersion = "default";
}
