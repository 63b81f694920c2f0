using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Moderation.ReadApi.Caching;

/// <summary>
/// What the shared cache answered, kept in process memory for a moment (<c>ReadCache:LocalMilliseconds</c>) in front
/// of it: a thread read hundreds of times a second costs one Redis round trip per moment instead of one per read.
/// A decision this instance hears of drops the thread's entries at once; another instance's copies expire within the
/// moment, which is all the staleness a reader can see. Only hits are kept, and writes go straight through.
/// </summary>
public sealed class LocalThreadCache(IThreadCache shared, TimeSpan lifetime) : IThreadCache, IDisposable
{
    /// <summary>Bytes of responses kept at most; the least recently used go first.</summary>
    public const long SizeLimit = 64 * 1024 * 1024;

    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    public bool IsAvailable => shared.IsAvailable;

    public async ValueTask<CacheLookup> GetAsync(string siteId, string threadId, string field)
    {
        if (_recent.TryGetValue((siteId, threadId, field), out CacheLookup recent)) return recent;
        // Taken before the shared cache is asked: if a decision drops the thread while the answer is on its way,
        // that answer may predate it, and it is returned but not kept (the entry is born expired).
        var thread = ThreadToken(siteId, threadId);
        var lookup = await shared.GetAsync(siteId, threadId, field);
        if (lookup.Value is { } value)
        {
            using var entry = _recent.CreateEntry((siteId, threadId, field));
            entry.Value = lookup;
            entry.Size = value.Length;
            entry.AbsoluteExpirationRelativeToNow = lifetime;
            entry.AddExpirationToken(thread);
        }
        return lookup;
    }

    public ValueTask SetAsync(string siteId, string threadId, string field, string seenGeneration, byte[] value) =>
        shared.SetAsync(siteId, threadId, field, seenGeneration, value);

    public async ValueTask InvalidateAsync(string siteId, string threadId)
    {
        await shared.InvalidateAsync(siteId, threadId);
        if (_recent.Get((siteId, threadId)) is CancellationTokenSource thread)
        {
            _recent.Remove((siteId, threadId));
            thread.Cancel();
        }
    }

    /// <summary>Cancelled when the thread is invalidated here, which drops every entry of the thread.</summary>
    private CancellationChangeToken ThreadToken(string siteId, string threadId) =>
        new(_recent.GetOrCreate((siteId, threadId), entry =>
        {
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = lifetime;
            return new CancellationTokenSource();
        })!.Token);

    public void Dispose() => _recent.Dispose();
}
