using System.IO.Hashing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Moderation.Scoring.Rules;

/// <summary>
/// Rule state in Redis, shared by every worker. Recent texts are indexed by MinHash bands (16 bands of 2
/// values): a copy with Jaccard similarity 0.5 shares a band with 99 % probability, so only a handful of
/// candidates are fetched and compared exactly. In a campaign (or a thread where everyone quotes the same
/// words) hundreds of recent texts can share a band; only those sharing the most bands — the closest copies:
/// the expected count is 16 × similarity² — are fetched, so a burst of copies costs a bounded amount per comment. Keys carry the site in braces so a cluster keeps one site's
/// keys on one node; every key has a TTL of the window.
/// </summary>
public sealed class RedisRuleState(IConnectionMultiplexer redis, IOptions<RuleOptions> options) : IRuleState
{
    private const int Bands = 16;
    private const int RowsPerBand = Shingles.SignatureSize / Bands;
    private const int CandidatesPerBand = 20;
    private const int MinCandidatesCompared = 32;

    // KEYS: the band keys, then the comment's text key.
    // ARGV: now, cutoff, id, ttl seconds, shingles, per-band limit, candidates returned (those sharing the most bands).
    private const string RecordAndFindCandidates = """
        local bands, out = {}, {}
        for i = 1, #KEYS - 1 do
          redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. ARGV[2])
          local ids = redis.call('ZREVRANGEBYSCORE', KEYS[i], '+inf', ARGV[2], 'LIMIT', 0, ARGV[6])
          for _, id in ipairs(ids) do
            if id ~= ARGV[3] then
              if not bands[id] then bands[id] = 0; out[#out + 1] = id end
              bands[id] = bands[id] + 1
            end
          end
          redis.call('ZADD', KEYS[i], ARGV[1], ARGV[3])
          redis.call('EXPIRE', KEYS[i], ARGV[4])
        end
        redis.call('SET', KEYS[#KEYS], ARGV[5], 'EX', ARGV[4])
        local limit = tonumber(ARGV[7])
        if #out > limit then
          table.sort(out, function(a, b) if bands[a] ~= bands[b] then return bands[a] > bands[b] end return a < b end)
          for i = #out, limit + 1, -1 do out[i] = nil end
        end
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
            var bucket = XxHash64.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows));
            keys[band] = $"moderation:rules:{{{siteId}}}:lsh:{band}:{bucket:x16}";
        }
        keys[Bands] = TextKey(siteId, commentId.ToString("N"));

        var db = redis.GetDatabase();
        var candidates = (RedisValue[]?)await db.ScriptEvaluateAsync(RecordAndFindCandidates, keys,
            [Millis(at), Millis(at - window), commentId.ToString("N"), (long)window.TotalSeconds, text.ToBytes(), CandidatesPerBand,
             Math.Max(MinCandidatesCompared, Options.CampaignVariants + 1)]) ?? [];
        if (candidates.Length == 0) return [];

        var stored = await db.StringGetAsync([.. candidates.Select(id => TextKey(siteId, id.ToString()))]);
        return [.. stored.Where(s => !s.IsNull)
            .Select(s => text.Jaccard(((ReadOnlyMemory<byte>)s).Span))
            .Where(similarity => similarity >= Options.VariantSimilarity)];
    }

    public async Task<(int FromIp, int FromEmail)> RecordAndCountRecentAsync(string siteId, Guid commentId, string? ip, string emailHash, DateTime at, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(Options.FloodWindowMinutes);
        var counts = (RedisValue[]?)await redis.GetDatabase().ScriptEvaluateAsync(RecordAndCount,
            [$"moderation:rules:{{{siteId}}}:ip:{ip ?? "unknown"}", $"moderation:rules:{{{siteId}}}:email:{emailHash}"],
            [Millis(at), Millis(at - window), commentId.ToString("N"), (long)window.TotalSeconds]) ?? [];
        return (ip is null ? 0 : (int)counts[0], (int)counts[1]);
    }

    private static RedisKey TextKey(string siteId, string id) => $"moderation:rules:{{{siteId}}}:text:{id}";

    private static long Millis(DateTime at) => new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
