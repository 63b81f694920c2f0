using Moderation.IntegrationTests.Infrastructure;
using Moderation.ReadApi.Caching;
using StackExchange.Redis;

namespace Moderation.IntegrationTests;

/// <summary>Two read API instances, each with its moment of local cache, over one real Redis.</summary>
public sealed class LocalThreadCacheTests : IAsyncLifetime
{
    // Long enough that a loaded machine still makes the next read within it (400 ms once was not, in CI on a busy machine).
    private static readonly TimeSpan Lifetime = TimeSpan.FromMilliseconds(1500);
    private readonly string _site = $"local-{Guid.NewGuid():N}";
    private const string Thread = "news/bridge", Field = "p::50";
    private ConnectionMultiplexer _first = null!, _second = null!;
    private LocalThreadCache _instanceA = null!, _instanceB = null!;

    public async Task InitializeAsync()
    {
        var (host, port) = Servers.RedisEndpoint;
        await Servers.RequireAsync("Redis", host, port);
        _first = await ConnectionMultiplexer.ConnectAsync(Servers.Redis);
        _second = await ConnectionMultiplexer.ConnectAsync(Servers.Redis);
        _instanceA = new LocalThreadCache(new RedisThreadCache(_first), Lifetime);
        _instanceB = new LocalThreadCache(new RedisThreadCache(_second), Lifetime);
    }

    public async Task DisposeAsync()
    {
        _instanceA.Dispose();
        _instanceB.Dispose();
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    private static async Task StoreAsync(LocalThreadCache instance, string site, byte[] value)
    {
        var seen = await instance.GetAsync(site, Thread, Field);
        await instance.SetAsync(site, Thread, Field, seen.Generation, value);
    }

    [Fact]
    public async Task A_decision_heard_by_another_instance_shows_here_once_the_moment_has_passed()
    {
        await StoreAsync(_instanceA, _site, [1]);
        Assert.Equal([1], (await _instanceA.GetAsync(_site, Thread, Field)).Value);

        await _instanceB.InvalidateAsync(_site, Thread);
        await StoreAsync(_instanceB, _site, [2]);

        Assert.Equal([1], (await _instanceA.GetAsync(_site, Thread, Field)).Value);
        await Task.Delay(Lifetime * 2);
        Assert.Equal([2], (await _instanceA.GetAsync(_site, Thread, Field)).Value);
    }

    [Fact]
    public async Task A_decision_heard_here_shows_at_once_and_reaches_Redis()
    {
        await StoreAsync(_instanceA, _site, [1]);
        await _instanceA.GetAsync(_site, Thread, Field);

        await _instanceA.InvalidateAsync(_site, Thread);

        Assert.Null((await _instanceA.GetAsync(_site, Thread, Field)).Value);
        Assert.Null((await _instanceB.GetAsync(_site, Thread, Field)).Value);
    }
}
