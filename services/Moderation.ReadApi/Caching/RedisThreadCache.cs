using StackExchange.Redis;

namespace Moderation.ReadApi.Caching;

/// <summary>
/// One Redis hash per thread (<c>moderation:thread:{site}:{thread}</c>): a <c>gen</c> field and one field per
/// cached response. One round trip per read; compare-and-set and invalidation are atomic scripts.
/// </summary>
public sealed class RedisThreadCache(IConnectionMultiplexer redis) : IThreadCache
{
    public const string KeyPrefix = "moderation:thread:";
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(10);
    private static readonly RedisValue Gen = "gen";

    private const string SetIfSameGeneration = """
        if (redis.call('HGET', KEYS[1], 'gen') or '') == ARGV[1] then
          redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
          redis.call('EXPIRE', KEYS[1], ARGV[4])
          return 1
        end
        return 0
        """;

    private const string StartNewGeneration = """
        local g = redis.call('HINCRBY', KEYS[1], 'gen', 1)
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'gen', g)
        redis.call('EXPIRE', KEYS[1], ARGV[1])
        return g
        """;

    public static RedisKey Key(string siteId, string threadId) => $"{KeyPrefix}{siteId}:{threadId}";

    public async ValueTask<CacheLookup> GetAsync(string siteId, string threadId, string field)
    {
        var values = await redis.GetDatabase().HashGetAsync(Key(siteId, threadId), [Gen, field]);
        return new CacheLookup(values[0].IsNull ? "" : values[0].ToString(), values[1].IsNull ? null : (byte[])values[1]!);
    }

    public async ValueTask SetAsync(string siteId, string threadId, string field, string seenGeneration, byte[] value) =>
        await redis.GetDatabase().ScriptEvaluateAsync(SetIfSameGeneration, [Key(siteId, threadId)],
            [seenGeneration, field, value, (long)TimeToLive.TotalSeconds]);

    public async ValueTask InvalidateAsync(string siteId, string threadId) =>
        await redis.GetDatabase().ScriptEvaluateAsync(StartNewGeneration, [Key(siteId, threadId)],
            [(long)TimeToLive.TotalSeconds]);

    /// <summary>Whether to try the cache at all: when Redis is down, reads go straight to the database.</summary>
    public bool IsAvailable => redis.IsConnected;
}
