using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Moderation.Scoring.Rules;

/// <summary>
/// Rule state in Redis, shared by every worker. Recent texts are indexed by MinHash bands (16 bands of 2
/// values): a copy with Jaccard similarity 0.5 shares a band with 99 % probability, so only a handful of
/// candidates are fetched and compared exactly. Each band bucket keeps its newest entries (comment id and time)
/// as one packed value, so a bucket every text falls into (a campaign, or a thread where everyone quotes the same
/// words) stays small; of the candidates, only those sharing the most bands — the closest copies: the expected
/// count is 16 × similarity² — are fetched, so a burst of copies costs a bounded amount per comment. The buckets
/// are fields of one hash per site and window-long time slice, read for the comment's slice and the one before:
/// a handful of Redis commands per comment, not one per band, and memory bounded by two windows of traffic.
/// Keys carry the site in braces so a cluster keeps one site's keys on one node; every key has a TTL.
/// </summary>
public sealed class RedisRuleState(IConnectionMultiplexer redis, IOptions<RuleOptions> options) : IRuleState
{
    private const int Bands = 16;
    private const int RowsPerBand = Shingles.SignatureSize / Bands;
    private const int EntriesPerBand = 10;
    private const int MinCandidatesCompared = 16;
    private const int EntrySize = 24; // comment id (16 bytes), then its time in Unix milliseconds (8)

    // KEYS: the comment's slice, the slice before, the comment's text key, then optionally the sender keys of
    // RecordAndCount. ARGV: the comment's entry, the slice's ttl, the text, the text's ttl, the longest bucket value
    // (bytes), RecordAndCount's four arguments, then the comment's 16 band buckets.
    // Returns both slices' values of those buckets, read before the comment is added to its slice (newest first,
    // cut to the longest value; a redelivered comment, already listed, is not listed again), then the senders' counts:
    // the worker's one round trip per comment (two scripts were a fifth of Redis's work and of the worker's rule time).
    private const string RecordAndListBands = Count + "\n" + """
        local buckets = {unpack(ARGV, 10)}
        local current = redis.call('HMGET', KEYS[1], unpack(buckets))
        local previous = redis.call('HMGET', KEYS[2], unpack(buckets))
        local id = string.sub(ARGV[1], 1, 16)
        local updates = {}
        for i = 1, #buckets do
          local old = current[i] or ''
          if not string.find(old, id, 1, true) then
            updates[#updates + 1] = buckets[i]
            updates[#updates + 1] = string.sub(ARGV[1] .. old, 1, tonumber(ARGV[5]))
          end
        end
        if #updates > 0 then redis.call('HSET', KEYS[1], unpack(updates)) end
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
        return {current, previous, count(4, {unpack(ARGV, 6, 9)})}
        """;

    // Records the comment id in each sender key from KEYS[first] on and counts them. args: now, cutoff, id, ttl seconds.
    private const string Count = """
        local function count(first, args)
          local counts = {}
          for i = first, #KEYS do
            redis.call('ZADD', KEYS[i], args[1], args[3])
            redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. args[2])
            redis.call('EXPIRE', KEYS[i], args[4])
            counts[#counts + 1] = redis.call('ZCARD', KEYS[i])
          end
          return counts
        end
        """;

    // KEYS: per-IP key, per-email key. ARGV: now, cutoff, id, ttl seconds.
    private const string RecordAndCount = Count + "\nreturn count(1, ARGV)";

    private RuleOptions Options => options.Value;

    public async Task<IReadOnlyList<double>> RecordAndFindCopiesAsync(string siteId, Guid commentId, Shingles text, DateTime at, CancellationToken ct) =>
        (await RecordTextAsync(siteId, commentId, text, at, senders: null)).Copies;

    public async Task<(IReadOnlyList<double> Copies, int FromIp, int FromEmail)> RecordAsync(
        string siteId, Guid commentId, Shingles text, string? ip, string emailHash, DateTime at, CancellationToken ct)
    {
        var (copies, counts) = await RecordTextAsync(siteId, commentId, text, at, senders: (ip, emailHash));
        return (copies, ip is null ? 0 : (int)counts[0], (int)counts[1]);
    }

    /// <summary>Lists and records the text's bands and, given its senders, counts them too: one script, one round trip.</summary>
    private async Task<(IReadOnlyList<double> Copies, RedisValue[] Counts)> RecordTextAsync(
        string siteId, Guid commentId, Shingles text, DateTime at, (string? Ip, string EmailHash)? senders)
    {
        var window = TimeSpan.FromMinutes(Options.DuplicateWindowMinutes);
        var signature = text.MinHashSignature();
        var args = new RedisValue[9 + Bands];
        var entry = new byte[EntrySize];
        commentId.TryWriteBytes(entry);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(16), Millis(at));
        args[0] = entry;
        args[1] = (long)(2 * window).TotalSeconds; // a slice is read while it and the slice after it are current
        args[2] = text.ToBytes();
        args[3] = (long)window.TotalSeconds;
        args[4] = EntriesPerBand * EntrySize;
        CountArguments(commentId, at).CopyTo(args, 5);
        var bucket = new byte[9];
        for (var band = 0; band < Bands; band++)
        {
            bucket[0] = (byte)band;
            BinaryPrimitives.WriteUInt64LittleEndian(bucket.AsSpan(1), XxHash64.HashToUInt64(MemoryMarshal.AsBytes(signature.AsSpan(band * RowsPerBand, RowsPerBand))));
            args[9 + band] = bucket.ToArray();
        }
        var slice = Millis(at) / (long)window.TotalMilliseconds;
        RedisKey[] keys = [SliceKey(siteId, slice), SliceKey(siteId, slice - 1), TextKey(siteId, commentId),
            .. senders is var (ip, emailHash) ? SenderKeys(siteId, ip, emailHash) : []];
        var db = redis.GetDatabase();
        var result = (RedisResult[]?)await db.ScriptEvaluateAsync(RecordAndListBands, keys, args) ?? [];
        var counts = result.Length > 2 ? (RedisValue[]?)result[2] ?? [] : [];

        var closest = Closest(result.Take(2), commentId, Millis(at - window), Math.Max(MinCandidatesCompared, Options.CampaignVariants + 1));
        if (closest.Length == 0) return ([], counts);
        var stored = await db.StringGetAsync([.. closest.Select(id => TextKey(siteId, id))]);
        return ([.. stored.Where(s => !s.IsNull)
            .Select(s => text.Jaccard(((ReadOnlyMemory<byte>)s).Span))
            .Where(similarity => similarity >= Options.VariantSimilarity)], counts);
    }

    /// <summary>The other comments of the window listed in the most of the text's bands, most shared first.</summary>
    private static Guid[] Closest(IEnumerable<RedisResult> slices, Guid commentId, long cutoff, int limit)
    {
        var shared = new Dictionary<Guid, int>();
        foreach (var slice in slices)
        {
            foreach (var bucket in (RedisValue[]?)slice ?? [])
            {
                ReadOnlySpan<byte> entries = (byte[]?)bucket;
                for (; entries.Length >= EntrySize; entries = entries[EntrySize..])
                {
                    if (BinaryPrimitives.ReadInt64LittleEndian(entries[16..EntrySize]) < cutoff) continue;
                    var id = new Guid(entries[..16]);
                    if (id != commentId) shared[id] = shared.GetValueOrDefault(id) + 1;
                }
            }
        }
        return [.. shared.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(limit).Select(kv => kv.Key)];
    }

    public async Task<(int FromIp, int FromEmail)> RecordAndCountRecentAsync(string siteId, Guid commentId, string? ip, string emailHash, DateTime at, CancellationToken ct)
    {
        var counts = (RedisValue[]?)await redis.GetDatabase().ScriptEvaluateAsync(RecordAndCount,
            SenderKeys(siteId, ip, emailHash), CountArguments(commentId, at)) ?? [];
        return (ip is null ? 0 : (int)counts[0], (int)counts[1]);
    }

    private RedisValue[] CountArguments(Guid commentId, DateTime at)
    {
        var window = TimeSpan.FromMinutes(Options.FloodWindowMinutes);
        return [Millis(at), Millis(at - window), commentId.ToString("N"), (long)window.TotalSeconds];
    }

    private static RedisKey[] SenderKeys(string siteId, string? ip, string emailHash) =>
        [$"moderation:rules:{{{siteId}}}:ip:{ip ?? "unknown"}", $"moderation:rules:{{{siteId}}}:email:{emailHash}"];

    private static RedisKey SliceKey(string siteId, long slice) => $"moderation:rules:{{{siteId}}}:bands:{slice}";

    private static RedisKey TextKey(string siteId, Guid id) => $"moderation:rules:{{{siteId}}}:text:{id:N}";

    private static long Millis(DateTime at) => new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
