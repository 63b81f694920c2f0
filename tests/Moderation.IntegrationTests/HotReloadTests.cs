using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Models;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Serving;

namespace Moderation.IntegrationTests;

/// <summary>Settings and models change in every running worker within seconds, without a restart.</summary>
public sealed class HotReloadTests(DistributedSystem system) : IClassFixture<DistributedSystem>, IAsyncLifetime
{
    private static readonly TimeSpan FiveSeconds = TimeSpan.FromSeconds(5);
    private ServiceHost<Moderation.Scoring.Scoring.CommentScoringService> _second = null!;

    public Task InitializeAsync()
    {
        _second = system.StartExtraWorker();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _second.DisposeAsync();

    private IServiceProvider[] Workers => [system.Scoring!.Services, _second.Services];

    [Fact]
    public async Task Threshold_change_reaches_both_workers_within_five_seconds()
    {
        await ChangeSiteAsync(site => site.ApproveBelow = 0.02);

        foreach (var worker in Workers)
        {
            var sites = worker.GetRequiredService<ISiteRegistry>();
            await Eventually.GetAsync(() => Task.FromResult(sites.Find(system.SiteId)!.ApproveBelow), v => v == 0.02, FiveSeconds, "new threshold served");
        }

        // Scored by whichever worker takes it: both use the new threshold, so a plain comment is now held.
        var submitted = await system.SubmitAsync(system.Comment("A plain comment after the threshold was lowered.", $"reload/{Guid.NewGuid():N}"));
        await Eventually.GetAsync(() => system.StatusAsync(submitted), s => s != "pending", FiveSeconds, "scored");
        Assert.Equal("awaitingModeration", await system.StatusAsync(submitted));
        Assert.Equal(0.02, await system.Database.ScalarAsync<double>($"select \"ApproveBelowUsed\" from comments where \"Id\" = '{submitted.Id}'"));

        await ChangeSiteAsync(site => site.ApproveBelow = 0.5);
    }

    [Fact]
    public async Task Model_that_fails_to_load_leaves_the_old_one_serving_on_every_worker()
    {
        var before = Workers.Select(w => w.GetRequiredService<ModelHolder>().Version).ToArray();
        await using (var scope = system.Scoring!.Services.CreateAsyncScope())
        {
            var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
            await registry.RegisterAsync("broken-1", [1, 2, 3], "none", null, default);
            await registry.PromoteAsync("broken-1", default);
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // what every worker had to react to the event

        Assert.Equal(before, Workers.Select(w => w.GetRequiredService<ModelHolder>().Version));
        var submitted = await system.SubmitAsync(system.Comment("Scored by the model that was already serving.", $"broken/{Guid.NewGuid():N}"));
        await Eventually.GetAsync(() => system.StatusAsync(submitted), s => s == "approved", FiveSeconds, "scored by the old model");
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
