using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Contracts;
using Moderation.ReadApi;
using Moderation.ReadApi.Caching;
using Moderation.ReadApi.Consumers;
using Moderation.UnitTests.Support;

namespace Moderation.UnitTests.ReadApi;

public sealed class ThreadCacheConsumerTests : IAsyncLifetime
{
    private const string Site = "demo";
    private const string Thread = "news/council-budget";
    private const string Field = "p::50";

    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private IThreadCache _cache = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IThreadCache, MemoryThreadCache>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddReadApiConsumers();
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(30), testInactivityTimeout: TimeSpan.FromSeconds(1));
            })
            .BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _cache = _provider.GetRequiredService<IThreadCache>();
        await _harness.Start();
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private async Task Consumed<T>(Func<T, bool> where) where T : class
    {
        var consumed = await _harness.GetConsumerHarness<ThreadCacheConsumer>().Consumed.WaitFor(where);
        Assert.All(consumed, c => Assert.Null(c.Exception));
    }

    private async Task PublishAndWaitAsync(CommentPublished published)
    {
        await _harness.Bus.Publish(published);
        await Consumed<CommentPublished>(m => m.CommentId == published.CommentId);
    }

    [Fact]
    public async Task Comment_published_on_a_thread_clears_what_was_cached_for_it()
    {
        var seen = await _cache.GetAsync(Site, Thread, Field);
        await _cache.SetAsync(Site, Thread, Field, seen.Generation, [1, 2, 3]);
        Assert.Equal([1, 2, 3], (await _cache.GetAsync(Site, Thread, Field)).Value);

        var published = new CommentPublished(NewId.NextGuid(), Site, Thread, null, DateTime.UtcNow);
        await _harness.Bus.Publish(published);

        await Consumed<CommentPublished>(m => m.CommentId == published.CommentId);
        var after = await _cache.GetAsync(Site, Thread, Field);
        Assert.Null(after.Value);
        Assert.NotEqual(seen.Generation, after.Generation);
        Assert.Empty(_harness.Published.Now<Fault<CommentPublished>>(_ => true));
    }

    [Fact]
    public async Task Value_read_before_the_event_cannot_be_stored_after_it()
    {
        // A slow reader looked before the event and finishes its database read after it.
        var seen = await _cache.GetAsync(Site, Thread, Field);

        await PublishAndWaitAsync(new CommentPublished(NewId.NextGuid(), Site, Thread, null, DateTime.UtcNow));

        await _cache.SetAsync(Site, Thread, Field, seen.Generation, [9, 9, 9]);
        var current = await _cache.GetAsync(Site, Thread, Field);
        Assert.Null(current.Value);

        // A reader that looked after the event may store its value.
        await _cache.SetAsync(Site, Thread, Field, current.Generation, [4, 5, 6]);
        Assert.Equal([4, 5, 6], (await _cache.GetAsync(Site, Thread, Field)).Value);
    }

    [Fact]
    public async Task Comment_removed_from_a_thread_clears_what_was_cached_for_it()
    {
        await PublishAndWaitAsync(new CommentPublished(NewId.NextGuid(), Site, Thread, null, DateTime.UtcNow));
        var seen = await _cache.GetAsync(Site, Thread, Field);
        await _cache.SetAsync(Site, Thread, Field, seen.Generation, [1]);
        Assert.Equal([1], (await _cache.GetAsync(Site, Thread, Field)).Value);

        var removed = new CommentRemoved(NewId.NextGuid(), Site, Thread, "rejected by a moderator");
        await _harness.Bus.Publish(removed);

        await Consumed<CommentRemoved>(m => m.CommentId == removed.CommentId);
        var after = await _cache.GetAsync(Site, Thread, Field);
        Assert.Null(after.Value);
        Assert.NotEqual(seen.Generation, after.Generation);
    }

    [Fact]
    public async Task Other_threads_and_sites_keep_their_cached_values()
    {
        foreach (var (site, thread) in new[] { (Site, "news/other-story"), ("other-site", Thread) })
        {
            var seen = await _cache.GetAsync(site, thread, Field);
            await _cache.SetAsync(site, thread, Field, seen.Generation, [7]);
        }

        await PublishAndWaitAsync(new CommentPublished(NewId.NextGuid(), Site, Thread, null, DateTime.UtcNow));

        Assert.Equal([7], (await _cache.GetAsync(Site, "news/other-story", Field)).Value);
        Assert.Equal([7], (await _cache.GetAsync("other-site", Thread, Field)).Value);
    }
}
