using System.IO.Hashing;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.ReadApi.Caching;
using Moderation.ServiceDefaults;
using StackExchange.Redis;

namespace Moderation.ReadApi.Threads;

/// <summary>A rendered response and its entity tag.</summary>
public sealed record RenderedJson(ReadOnlyMemory<byte> Json, string ETag)
{
    /// <summary>Cached as 8 bytes of hash then the JSON, so a hit needs no work but slicing (no copy).</summary>
    public static RenderedJson From(byte[] cached) => new(cached.AsMemory(8), Tag(cached.AsSpan(0, 8)));

    public static (RenderedJson Rendered, byte[] Cached) Render(byte[] json)
    {
        var cached = new byte[json.Length + 8];
        XxHash3.Hash(json, cached);
        json.CopyTo(cached, 8);
        return (new RenderedJson(json, Tag(cached.AsSpan(0, 8))), cached);
    }

    private static string Tag(ReadOnlySpan<byte> hash) => $"\"{Convert.ToHexStringLower(hash)}\"";
}

/// <summary>Cache-aside reads of approved comments: the cache first, the database when it misses or is down.</summary>
public sealed partial class ThreadReader(ModerationDb db, IThreadCache cache, ILogger<ThreadReader> logger)
{
    public Task<RenderedJson> GetPageAsync(string siteId, string threadId, PageCursor? cursor, int limit, CancellationToken ct) =>
        CachedAsync(siteId, threadId, $"p:{cursor?.Encode()}:{limit}",
            async () => JsonSerializer.SerializeToUtf8Bytes(await LoadPageAsync(siteId, threadId, cursor, limit, ct), ReadApiJson.Default.ThreadPage));

    /// <summary>
    /// Counts for many threads in two round trips at most: every cache lookup at once, then one grouped query
    /// for the threads the cache did not have.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> GetCountsAsync(string siteId, IReadOnlyList<string> threadIds, CancellationToken ct)
    {
        const string field = "count";
        var ids = threadIds.Distinct().ToList();
        var lookups = await Task.WhenAll(ids.Select(id => LookupAsync(siteId, id, field)));
        var counts = new Dictionary<string, int>();
        var missing = new List<(string ThreadId, CacheLookup? Seen)>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (lookups[i]?.Value is { } hit) counts[ids[i]] = BitConverter.ToInt32(RenderedJson.From(hit).Json.Span);
            else missing.Add((ids[i], lookups[i]));
        }
        if (missing.Count == 0) return counts;

        var missingIds = missing.Select(m => m.ThreadId).ToList();
        var fromDatabase = await db.Comments.AsNoTracking()
            .Where(c => c.SiteId == siteId && missingIds.Contains(c.ThreadId) && c.Status == CommentStatus.Approved)
            .GroupBy(c => c.ThreadId).Select(g => new { ThreadId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.ThreadId, g => g.Count, ct);
        await Task.WhenAll(missing.Select(m =>
        {
            var count = counts[m.ThreadId] = fromDatabase.GetValueOrDefault(m.ThreadId);
            return StoreAsync(siteId, m.ThreadId, field, m.Seen, RenderedJson.Render(BitConverter.GetBytes(count)).Cached);
        }));
        return counts;
    }

    private async Task<RenderedJson> CachedAsync(string siteId, string threadId, string field, Func<Task<byte[]>> load)
    {
        var lookup = await LookupAsync(siteId, threadId, field);
        if (lookup?.Value is { } hit) return RenderedJson.From(hit);
        var (rendered, cached) = RenderedJson.Render(await load());
        await StoreAsync(siteId, threadId, field, lookup, cached);
        return rendered;
    }

    /// <summary>What the cache holds, or null when it cannot be asked (then nothing is stored back either).</summary>
    private async Task<CacheLookup?> LookupAsync(string siteId, string threadId, string field)
    {
        if (cache.IsAvailable)
        {
            try
            {
                var lookup = await cache.GetAsync(siteId, threadId, field);
                ModerationMetrics.ReadCacheLookups.WithLabels(lookup.Value is null ? "miss" : "hit").Inc();
                return lookup;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogCacheDown(logger, ex.Message);
            }
        }
        ModerationMetrics.ReadCacheLookups.WithLabels("unavailable").Inc();
        return null;
    }

    private async Task StoreAsync(string siteId, string threadId, string field, CacheLookup? seen, byte[] cached)
    {
        if (seen is null) return;
        try
        {
            await cache.SetAsync(siteId, threadId, field, seen.Value.Generation, cached);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogCacheDown(logger, ex.Message);
        }
    }

    private async Task<ThreadPage> LoadPageAsync(string siteId, string threadId, PageCursor? cursor, int limit, CancellationToken ct)
    {
        // One snapshot for the count and the rows: a comment committed between the two statements would
        // otherwise be listed under a count that misses it.
        await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var query = Approved(siteId, threadId);
        var count = await query.CountAsync(ct);
        if (cursor is { } after)
            query = query.Where(c => c.SubmittedAt > after.After || (c.SubmittedAt == after.After && c.Id.CompareTo(after.AfterId) > 0));
        var rows = await query
            .OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id)
            .Take(limit + 1)
            .Select(c => new PublicComment(c.Id, c.ParentId, c.AuthorName, c.AuthorUrl, c.Body, c.SubmittedAt))
            .ToListAsync(ct);
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = new PageCursor(rows[^1].CreatedAt, rows[^1].Id).Encode();
        }
        return new ThreadPage(siteId, threadId, count, rows, next);
    }

    private IQueryable<Comment> Approved(string siteId, string threadId) =>
        db.Comments.AsNoTracking().Where(c => c.SiteId == siteId && c.ThreadId == threadId && c.Status == CommentStatus.Approved);

    [LoggerMessage(LogLevel.Warning, "Cache unavailable, reading from the database: {Error}")]
    private static partial void LogCacheDown(ILogger logger, string error);
}
