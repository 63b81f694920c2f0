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
public sealed record RenderedJson(byte[] Json, string ETag)
{
    /// <summary>Cached as 8 bytes of hash then the JSON, so a hit needs no work but slicing.</summary>
    public static RenderedJson From(byte[] cached) => new(cached[8..], Tag(cached.AsSpan(0, 8)));

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

    public async Task<IReadOnlyDictionary<string, int>> GetCountsAsync(string siteId, IReadOnlyList<string> threadIds, CancellationToken ct)
    {
        var counts = new Dictionary<string, int>();
        foreach (var threadId in threadIds.Distinct())
        {
            var rendered = await CachedAsync(siteId, threadId, "count", async () =>
                BitConverter.GetBytes(await Approved(siteId, threadId).CountAsync(ct)));
            counts[threadId] = BitConverter.ToInt32(rendered.Json);
        }
        return counts;
    }

    private async Task<RenderedJson> CachedAsync(string siteId, string threadId, string field, Func<Task<byte[]>> load)
    {
        CacheLookup? lookup = null;
        if (cache.IsAvailable)
        {
            try
            {
                lookup = await cache.GetAsync(siteId, threadId, field);
                if (lookup.Value.Value is { } hit)
                {
                    ModerationMetrics.ReadCacheLookups.WithLabels("hit").Inc();
                    return RenderedJson.From(hit);
                }
                ModerationMetrics.ReadCacheLookups.WithLabels("miss").Inc();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogCacheDown(logger, ex.Message);
            }
        }
        if (lookup is null) ModerationMetrics.ReadCacheLookups.WithLabels("unavailable").Inc();

        var (rendered, cached) = RenderedJson.Render(await load());
        if (lookup is { } seen)
        {
            try
            {
                await cache.SetAsync(siteId, threadId, field, seen.Generation, cached);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogCacheDown(logger, ex.Message);
            }
        }
        return rendered;
    }

    private async Task<ThreadPage> LoadPageAsync(string siteId, string threadId, PageCursor? cursor, int limit, CancellationToken ct)
    {
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
