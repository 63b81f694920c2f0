namespace Moderation.ReadApi.Caching;

/// <summary>What a cache lookup saw: the thread's generation when it looked, and the value if there was one.</summary>
public readonly record struct CacheLookup(string Generation, byte[]? Value);

/// <summary>
/// Per-thread cache of rendered responses. Every entry of a thread belongs to its current generation;
/// a decision on the thread starts a new one. A value computed from the database is stored only if the
/// generation has not moved since the lookup, so a slow reader can never put back what an event cleared.
/// </summary>
public interface IThreadCache
{
    /// <summary>False while the cache is known to be unreachable: reads then go straight to the database.</summary>
    bool IsAvailable { get; }

    ValueTask<CacheLookup> GetAsync(string siteId, string threadId, string field);

    ValueTask SetAsync(string siteId, string threadId, string field, string seenGeneration, byte[] value);

    ValueTask InvalidateAsync(string siteId, string threadId);
}
