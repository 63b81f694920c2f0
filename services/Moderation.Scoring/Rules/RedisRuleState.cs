using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Moderation.Scoring.Rules;

/// <summary>
/// Rule state in Redis, shared by every worker. Recent texts are indexed by MinHash bands (16 bands of 2
/// values): a copy with Jaccard similarity 0.5 shares a band with 99 % probability, so only a handful of
/// candidates are fetched and compared exactly. Each band bucket is a list of its newest entries (comment id and
/// time), so a bucket every text falls into (a campaign, or a thread where everyone quotes the same words) stays
/// small; of the candidates, only those sharing the most bands — the closest copies: the expected count is
/// 16 × similarity² — are fetched, so a burst of copies costs a bounded amount per comment. Keys carry the site
/// in braces so a cluster keeps one site's keys on one node; every key has a TTL of the window.
/// </summary>
public sealed class RedisRuleState(IConnectionMultiplexer redis, IOptions<RuleOptions> options) : IRuleState
{
    private const int Bands = 16;
    private const int RowsPerBand = Shingles.SignatureSize / Bands;
    private const int EntriesPerBand = 10;
    private const int MinCandidatesCompared = 16;
    private const int EntrySize = 24; // comment id (16 bytes), then its time in Unix milliseconds (8)

    // KEYS: the band keys, then the comment's text key. ARGV: the comment's entry, ttl seconds, shingles, entries per band.
    // Reads each band before adding to it. Lists and LTRIM, not sorted sets trimmed by time: the cost per comment
    // does not grow with the site's traffic (the caller filters the entries' times, and lists a redelivered
    // comment, entered twice, once).
    private const string RecordAndListBands = """
        local out = {}
        for i = 1, #KEYS - 1 do
          out[i] = redis.call('LRANGE', KEYS[i], 0, ARGV[4] - 1)
          redis.call('LPUSH', KEYS[i], ARGV[1])
          redis.call('LTRIM', KEYS[i], 0, ARGV[4] - 1)
          redis.call('EXPIRE', KEYS[i], ARGV[2])
        end
        redis.call('SET', KEYS[#KEYS], ARGV[3], 'EX', ARGV[2])
        return out
        """;

    // KEYS: per-IP key, per-email key. ARGV: now, cutoff, id, ttl seconds.
    private const string RecordAndCount = """
        local counts = {}
        for i = 1, #KEYS do
          redis.call('ZADD', KEYS[i], ARGV[1], ARGV[3])
          redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. ARGV[2])
          redis.call('EXPIRE', KEYS[i], ARGV[4])
          counts[i] = redis.call('ZCARD', KEYS[i])
        end
        return counts
        """;

    private RuleOptions Options => options.Value;

    public async Task<IReadOnlyList<double>> RecordAndFindCopiesAsync(string siteId, Guid commentId, Shingles text, DateTime at, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(Options.DuplicateWindowMinutes);
        var signature = text.MinHashSignature();
        var keys = new RedisKey[Bands + 1];
        for (var band = 0; band < Bands; band++)
        {
            var rows = signature.AsSpan(band * RowsPerBand, RowsPerBand);
            var bucket = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(rows));
            keys[band] = $"moderation:rules:{{{siteId}}}:band:{band}:{bucket:x16}";
        }
        keys[Bands] = TextKey(siteId, commentId);

        var entry = new byte[EntrySize];
        commentId.TryWriteBytes(entry);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(16), Millis(at));
        var db = redis.GetDatabase();
        var bands = (RedisResult[]?)await db.ScriptEvaluateAsync(RecordAndListBands, keys,
            [entry, (long)window.TotalSeconds, text.ToBytes(), EntriesPerBand]) ?? [];

        var closest = Closest(bands, commentId, Millis(at - window), Math.Max(MinCandidatesCompared, Options.CampaignVariants + 1));
        if (closest.Length == 0) return [];
        var stored = await db.StringGetAsync([.. closest.Select(id => TextKey(siteId, id))]);
        return [.. stored.Where(s => !s.IsNull)
            .Select(s => text.Jaccard(((ReadOnlyMemory<byte>)s).Span))
            .Where(similarity => similarity >= Options.VariantSimilarity)];
    }

    /// <summary>The other comments of the window listed in the most of the text's bands, most shared first.</summary>
    private static Guid[] Closest(RedisResult[] bands, Guid commentId, long cutoff, int limit)
    {
        var shared = new Dictionary<Guid, int>();
        foreach (var band in bands)
        {
            foreach (var value in (RedisValue[]?)band ?? [])
            {
                ReadOnlySpan<byte> entry = (byte[]?)value;
                if (entry.Length != EntrySize || BinaryPrimitives.ReadInt64LittleEndian(entry[16..]) < cutoff) continue;
                var id = new Guid(entry[..16]);
                if (id != commentId) shared[id] = shared.GetValueOrDefault(id) + 1;
            }
        }
        return [.. shared.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(limit).Select(kv => kv.Key)];
    }

    public async Task<(int FromIp, int FromEmail)> RecordAndCountRecentAsync(string siteId, Guid commentId, string? ip, string emailHash, DateTime at, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(Options.FloodWindowMinutes);
        var counts = (RedisValue[]?)await redis.GetDatabase().ScriptEvaluateAsync(RecordAndCount,
            [$"moderation:rules:{{{siteId}}}:ip:{ip ?? "unknown"}", $"moderation:rules:{{{siteId}}}:email:{emailHash}"],
            [Millis(at), Millis(at - window), commentId.ToString("N"), (long)window.TotalSeconds]) ?? [];
        return (ip is null ? 0 : (int)counts[0], (int)counts[1]);
    }

    private static RedisKey TextKey(string siteId, Guid id) => $"moderation:rules:{{{siteId}}}:text:{id:N}";

    private static long Millis(DateTime at) => new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
