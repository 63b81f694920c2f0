using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.ReadApi.Caching;
using Moderation.ServiceDefaults;

namespace Moderation.UnitTests.ReadApi;

public sealed class LocalThreadCacheTests : IDisposable
{
    private const string Site = "demo", Thread = "news/council-budget", Field = "p::50";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMilliseconds(300);

    private readonly CountingCache _shared = new(new MemoryThreadCache());
    private readonly LocalThreadCache _local;

    public LocalThreadCacheTests() => _local = new LocalThreadCache(_shared, Lifetime);

    public void Dispose() => _local.Dispose();

    private async Task<string> StoreInSharedAsync(byte[] value)
    {
        var seen = await _shared.Inner.GetAsync(Site, Thread, Field);
        await _shared.Inner.SetAsync(Site, Thread, Field, seen.Generation, value);
        return seen.Generation;
    }

    [Fact]
    public async Task A_hit_is_served_from_memory_for_its_lifetime_then_asked_again()
    {
        await StoreInSharedAsync([1]);

        var first = await _local.GetAsync(Site, Thread, Field);
        var second = await _local.GetAsync(Site, Thread, Field);
        Assert.Equal([1], first.Value);
        Assert.Equal([1], second.Value);
        Assert.Equal(1, _shared.Lookups);

        // Another instance heard of a decision: this one sees it once the moment has passed.
        await _shared.Inner.InvalidateAsync(Site, Thread);
        await StoreInSharedAsync([2]);
        Assert.Equal([1], (await _local.GetAsync(Site, Thread, Field)).Value);
        await Task.Delay(Lifetime * 2);
        Assert.Equal([2], (await _local.GetAsync(Site, Thread, Field)).Value);
        Assert.Equal(2, _shared.Lookups);
    }

    [Fact]
    public async Task A_decision_heard_by_this_instance_drops_the_threads_entries_at_once()
    {
        await StoreInSharedAsync([1]);
        await _local.GetAsync(Site, Thread, Field);
        await _local.GetAsync(Site, Thread, "count");

        await _local.InvalidateAsync(Site, Thread);

        Assert.Null((await _local.GetAsync(Site, Thread, Field)).Value);
        Assert.Equal(3, _shared.Lookups);
    }

    [Fact]
    public async Task An_answer_read_before_a_decision_and_returned_after_it_is_not_kept()
    {
        await StoreInSharedAsync([1]);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _shared.HoldAnswers = hold.Task;
        var reading = _local.GetAsync(Site, Thread, Field).AsTask(); // has read [1]; its answer is on its way

        await _local.InvalidateAsync(Site, Thread); // a decision: the thread changes
        await StoreInSharedAsync([2]);
        _shared.HoldAnswers = null;
        hold.SetResult();

        Assert.Equal([1], (await reading).Value); // asked before the decision
        Assert.Equal([2], (await _local.GetAsync(Site, Thread, Field)).Value); // but the older page was not kept
        Assert.Equal(2, _shared.Lookups);
    }

    [Fact]
    public async Task Misses_are_not_kept_and_writes_go_to_the_shared_cache()
    {
        var miss = await _local.GetAsync(Site, Thread, Field);
        await _local.SetAsync(Site, Thread, Field, miss.Generation, [7]);

        Assert.Equal([7], (await _local.GetAsync(Site, Thread, Field)).Value);
        Assert.Equal([7], (await _shared.Inner.GetAsync(Site, Thread, Field)).Value);
        Assert.Equal(2, _shared.Lookups);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1001")]
    public void A_lifetime_out_of_range_is_refused_naming_the_key(string milliseconds)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ReadCache:LocalMilliseconds"] = milliseconds }).Build());
        services.AddValidatedOptions<ReadCacheOptions>(ReadCacheOptions.SectionName);

        var error = Assert.Throws<OptionsValidationException>(() => services.BuildServiceProvider().GetRequiredService<IOptions<ReadCacheOptions>>().Value);
        Assert.Contains("ReadCache:LocalMilliseconds", error.Message);
    }

    /// <summary>The real in-memory cache, counting the lookups that reach it.</summary>
    private sealed class CountingCache(MemoryThreadCache inner) : IThreadCache
    {
        public MemoryThreadCache Inner => inner;
        public int Lookups { get; private set; }
        public bool IsAvailable => true;

        /// <summary>When set, answers are read at once but returned only when it completes (a slow round trip).</summary>
        public Task? HoldAnswers { get; set; }

        public async ValueTask<CacheLookup> GetAsync(string siteId, string threadId, string field)
        {
            Lookups++;
            var lookup = await inner.GetAsync(siteId, threadId, field);
            if (HoldAnswers is { } hold) await hold;
            return lookup;
        }

        public ValueTask SetAsync(string siteId, string threadId, string field, string seenGeneration, byte[] value) =>
            inner.SetAsync(siteId, threadId, field, seenGeneration, value);

        public ValueTask InvalidateAsync(string siteId, string threadId) => inner.InvalidateAsync(siteId, threadId);
    }
}
