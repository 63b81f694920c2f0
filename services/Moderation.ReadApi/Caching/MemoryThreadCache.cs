using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace Moderation.ReadApi.Caching;

/// <summary>The standalone host's cache: the same generations as in Redis, kept in process memory.</summary>
public sealed class MemoryThreadCache : IThreadCache, IDisposable
{
    private readonly MemoryCache _threads = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private readonly Lock _lock = new();

    public bool IsAvailable => true;

    public ValueTask<CacheLookup> GetAsync(string siteId, string threadId, string field)
    {
        var entry = _threads.Get<Entry>((siteId, threadId));
        if (entry is null) return ValueTask.FromResult(new CacheLookup("", null));
        return ValueTask.FromResult(new CacheLookup(entry.Generation, entry.Values.GetValueOrDefault(field)));
    }

    public ValueTask SetAsync(string siteId, string threadId, string field, string seenGeneration, byte[] value)
    {
        lock (_lock)
        {
            var entry = _threads.Get<Entry>((siteId, threadId));
            if (entry is null && seenGeneration == "") entry = Store(siteId, threadId, new Entry(""));
            if (entry?.Generation == seenGeneration) entry.Values[field] = value;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAsync(string siteId, string threadId)
    {
        lock (_lock)
        {
            var entry = _threads.Get<Entry>((siteId, threadId));
            var next = long.TryParse(entry?.Generation, out var g) ? g + 1 : 1;
            Store(siteId, threadId, new Entry(next.ToString()));
        }
        return ValueTask.CompletedTask;
    }

    private Entry Store(string siteId, string threadId, Entry entry) =>
        _threads.Set((siteId, threadId), entry, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = RedisThreadCache.TimeToLive });

    public void Dispose() => _threads.Dispose();

    private sealed record Entry(string Generation)
    {
        public ConcurrentDictionary<string, byte[]> Values { get; } = new();
    }
}
