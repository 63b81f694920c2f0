using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Models;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Spam;
using Moderation.Scoring.Scoring;
using Moderation.Scoring.Serving;

namespace Moderation.IntegrationTests;

/// <summary>Settings and models change in every running worker within seconds, without a restart.</summary>
public sealed class HotReloadTests(DistributedSystem system) : IClassFixture<DistributedSystem>, IAsyncLifetime
{
    private static readonly TimeSpan FiveSeconds = TimeSpan.FromSeconds(5);
    private ServiceHost<Moderation.Scoring.Scoring.CommentScoringService> _second = null!;

    public async Task InitializeAsync() => _second = await system.StartExtraWorkerAsync();

    public async Task DisposeAsync() => await _second.DisposeAsync();

    private IServiceProvider[] Workers => [system.Scoring!.Services, _second.Services];

    [Fact]
    public async Task Threshold_change_reaches_both_workers_within_five_seconds()
    {
        // 0: no score is below it. (0.02 held a plain comment only under the heuristic's floor of 0.05; the ML default scores one near 0.)
        await ChangeSiteAsync(site => site.ApproveBelow = 0);

        foreach (var worker in Workers)
        {
            var sites = worker.GetRequiredService<ISiteRegistry>();
            await Eventually.Until(() => sites.Find(system.SiteId)!.ApproveBelow, v => v == 0, "new threshold served", FiveSeconds);
        }

        // Scored by whichever worker takes it: both use the new threshold, so a plain comment is now held. From a new
        // address: the site trusts Ada, whose comments other tests had approved.
        var submitted = await system.SubmitAsync(system.Comment("A plain comment after the threshold was lowered.", $"reload/{Guid.NewGuid():N}",
            authorEmail: $"new-{Guid.NewGuid():N}@example.org"));
        await Eventually.Until(() => system.StatusAsync(submitted), s => s != "pending", "scored (the 5 s promise is the threshold's, above)", TimeSpan.FromSeconds(30));
        Assert.Equal("awaitingModeration", await system.StatusAsync(submitted));
        Assert.Equal(0, await system.Database.ScalarAsync<double>($"select \"ApproveBelowUsed\" from comments where \"Id\" = '{submitted.Id}'"));

        await ChangeSiteAsync(site => site.ApproveBelow = 0.5);
    }

    [Fact]
    public async Task Promoted_model_is_served_by_every_worker_within_five_seconds_and_rolled_back()
    {
        var artifact = DefaultModelArtifact();
        await WithRegistryAsync(async registry =>
        {
            await registry.RegisterAsync("promoted-1", artifact, "LightGbm", null, default);
            await registry.PromoteAsync("promoted-1", default);
        });

        foreach (var worker in Workers)
        {
            var models = worker.GetRequiredService<ModelHolder>();
            await Eventually.Until(() => models.Version, v => v == "promoted-1", "promoted model served", FiveSeconds);
        }
        var submitted = await system.SubmitAsync(system.Comment("Scored by the model that was just promoted.", $"promoted/{Guid.NewGuid():N}"));
        await Eventually.Until(() => system.StatusAsync(submitted), s => s != "pending", "scored (the 5 s promise is the threshold's, above)", TimeSpan.FromSeconds(30));
        var modelVersion = await system.Database.ScalarAsync<string>($"select \"ModelVersion\" from comments where \"Id\" = '{submitted.Id}'");
        Assert.NotEqual(HeuristicScorer.Version, modelVersion);
        var reasons = await system.Database.ScalarAsync<string>($"select array_to_string(\"Reasons\", '|') from comments where \"Id\" = '{submitted.Id}'");
        Assert.Contains("model ", reasons);

        await WithRegistryAsync(registry => registry.RollBackAsync(default));
        foreach (var worker in Workers)
        {
            var models = worker.GetRequiredService<ModelHolder>();
            await Eventually.Until(() => models.Version, v => v == ModelRegistry.DefaultVersion, "default served again", FiveSeconds);
        }
    }

    [Fact]
    public async Task Model_that_fails_to_load_leaves_the_old_one_serving_on_every_worker()
    {
        var before = Workers.Select(w => w.GetRequiredService<ModelHolder>().Version).ToArray();
        var version = $"broken-{Guid.NewGuid():N}";
        await WithRegistryAsync(async registry =>
        {
            await registry.RegisterAsync(version, [1, 2, 3], "none", null, default);
            await registry.PromoteAsync(version, default);
        });

        // Each worker tried the new version (so the event reached it) and kept the one it had.
        foreach (var worker in Workers)
        {
            var models = worker.GetRequiredService<ModelHolder>();
            await Eventually.Until(() => models.LastFailedVersion, v => v == version, "load attempted", FiveSeconds);
        }
        Assert.Equal(before, Workers.Select(w => w.GetRequiredService<ModelHolder>().Version));
        var submitted = await system.SubmitAsync(system.Comment("Scored by the model that was already serving.", $"broken/{Guid.NewGuid():N}"));
        await Eventually.Until(() => system.StatusAsync(submitted), s => s == "approved", "scored by the old model", FiveSeconds);

        // Leave no broken version in the promotion history for the other tests to roll back to.
        await system.Database.ScalarAsync<int>($"delete from spam_models where \"Version\" = '{version}'");
        await WithRegistryAsync(registry => registry.RollBackAsync(default));
    }

    private async Task WithRegistryAsync(Func<ModelRegistry, Task> action)
    {
        await using var scope = system.Scoring!.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<ModelRegistry>());
    }

    /// <summary>The trained model the worker ships, as the bytes an admin would upload.</summary>
    private static byte[] DefaultModelArtifact()
    {
        using var resource = SpamModel.OpenDefaultFile();
        using var bytes = new MemoryStream();
        resource.CopyTo(bytes);
        return bytes.ToArray();
    }

    private async Task ChangeSiteAsync(Action<Site> change)
    {
        await using var scope = system.Scoring!.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var site = await db.Sites.SingleAsync(s => s.Id == system.SiteId);
        change(site);
        site.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync();
        // What the admin API does after saving a site.
        await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(new SiteSettingsChanged(system.SiteId, site.UpdatedAt));
    }
}
