using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.Scoring.Scoring;
using StackExchange.Redis;

namespace Moderation.Scoring.Rules;

/// <summary>What the rules concluded, with a reason for each rule that spoke.</summary>
public sealed record RuleOutcome(RuleVerdict Verdict, IReadOnlyList<string> Reasons);

/// <summary>
/// The site's rules, in the spirit of WordPress core and Antispam Bee: each that applies raises the verdict
/// (none → trusted → hold → spam) and says why in words a moderator can read.
/// </summary>
public sealed partial class RuleEngine(
    ModerationDb db,
    IRuleState state,
    IOptions<RuleOptions> options,
    ILogger<RuleEngine> logger)
{
    /// <summary>Faster than this from showing the form to sending it, and no person typed the comment.</summary>
    public static readonly TimeSpan FastestHumanSubmission = TimeSpan.FromSeconds(3);

    private const int TrustCountCap = 100;

    private static readonly ConditionalWeakTable<Site, SiteWords> CompiledWords = [];

    public async Task<RuleOutcome> EvaluateAsync(CommentSubmitted c, Site site, CancellationToken ct)
    {
        var verdict = RuleVerdict.None;
        var reasons = new List<string>();
        void Raise(RuleVerdict to, string reason)
        {
            if (to > verdict) verdict = to;
            reasons.Add(reason);
        }

        var rules = options.Value;
        var emailHash = CommentMapping.HashEmail(c.AuthorEmail);
        var words = CompiledWords.GetValue(site, s => new SiteWords(new WordList(s.BlockWords), new WordList(s.HoldWords)));
        string[] texts = [.. new[] { c.AuthorName, c.AuthorEmail, c.AuthorUrl, c.Body }.Select(TextNormalizer.ForMatching)];

        if (c.HoneypotFilled) Raise(RuleVerdict.Spam, "hidden honeypot field filled in");
        if (c.ElapsedMs is { } ms && ms < FastestHumanSubmission.TotalMilliseconds)
            Raise(RuleVerdict.Spam, $"submitted {ms / 1000.0:0.0} s after the form was shown, faster than a person types");
        foreach (var ban in await ActiveBansAsync(site.Id, emailHash, c.ClientIp, c.SubmittedAt, ct))
            Raise(RuleVerdict.Spam, ban == BanKind.Email ? "banned email address" : "banned IP address");
        foreach (var word in words.Block.FoundIn(texts)) Raise(RuleVerdict.Spam, $"contains blocked word '{word}'");
        foreach (var word in words.Hold.FoundIn(texts)) Raise(RuleVerdict.Hold, $"contains held word '{word}'");

        var links = Links.Count(c.Body);
        if (links > site.MaxLinks) Raise(RuleVerdict.Hold, $"{links} links (the site allows {site.MaxLinks})");
        if (site.PremoderateAll) Raise(RuleVerdict.Hold, "the site premoderates every comment");

        try
        {
            var fingerprint = TextNormalizer.ForFingerprint(c.Body);
            if (fingerprint.Length >= rules.DuplicateMinLength)
            {
                var copies = await state.RecordAndFindCopiesAsync(site.Id, c.CommentId, Shingles.Of(fingerprint), c.SubmittedAt, ct);
                var exact = copies.Count(s => s >= rules.CopySimilarity);
                if (exact > 0)
                    Raise(RuleVerdict.Spam, $"same text as {exact} other comment{Plural(exact)} in the last {rules.DuplicateWindowMinutes} minutes");
                else if (copies.Count >= rules.CampaignVariants)
                    Raise(RuleVerdict.Spam, $"same text with small changes posted {copies.Count + 1} times in {rules.DuplicateWindowMinutes} minutes");
            }
            var (fromIp, fromEmail) = await state.RecordAndCountRecentAsync(site.Id, c.CommentId, c.ClientIp, emailHash, c.SubmittedAt, ct);
            if (fromIp > rules.FloodMaxComments) Raise(RuleVerdict.Hold, $"{fromIp} comments from this IP in {rules.FloodWindowMinutes} minutes");
            if (fromEmail > rules.FloodMaxComments) Raise(RuleVerdict.Hold, $"{fromEmail} comments from this email in {rules.FloodWindowMinutes} minutes");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The shared rule state is down: score on the rest rather than stop the queue.
            LogRuleStateDown(logger, ex.Message);
            reasons.Add("duplicate and flood checks skipped (rule state unavailable)");
        }

        var approved = await ApprovedFromAuthor(db, site.Id, emailHash, c.CommentId, ct);
        if (approved == 0) reasons.Add("first comment from this address");
        else
        {
            var history = $"{approved}{(approved == TrustCountCap ? "+" : "")} approved comment{Plural(approved)} from this address";
            if (site.TrustApprovedAuthors) Raise(RuleVerdict.Trusted, history);
            else reasons.Add(history);
        }

        return new RuleOutcome(verdict, reasons);
    }

    private async Task<List<BanKind>> ActiveBansAsync(string siteId, string emailHash, string? ip, DateTime at, CancellationToken ct)
    {
        var kinds = new List<BanKind>(2);
        await foreach (var kind in ActiveBans(db, siteId, emailHash, ip, at).WithCancellation(ct)) kinds.Add(kind);
        return kinds;
    }

    // Compiled once: these run for every comment, and translating the LINQ each time costs more than the query.
    private static readonly Func<ModerationDb, string, string, string?, DateTime, IAsyncEnumerable<BanKind>> ActiveBans =
        EF.CompileAsyncQuery((ModerationDb db, string siteId, string emailHash, string? ip, DateTime at) => db.Bans.AsNoTracking()
            .Where(b => (b.SiteId == null || b.SiteId == siteId)
                && ((b.Kind == BanKind.Email && b.Value == emailHash) || (ip != null && b.Kind == BanKind.Ip && b.Value == ip))
                && (b.ExpiresAt == null || b.ExpiresAt > at))
            .Select(b => b.Kind).Distinct());

    // Capped: a regular with thousands of comments must not make every one of their comments count them all.
    private static readonly Func<ModerationDb, string, string, Guid, CancellationToken, Task<int>> ApprovedFromAuthor =
        EF.CompileAsyncQuery((ModerationDb db, string siteId, string emailHash, Guid commentId, CancellationToken ct) => db.Comments
            .Where(x => x.SiteId == siteId && x.EmailHash == emailHash && x.Status == CommentStatus.Approved && x.Id != commentId)
            .Take(TrustCountCap).Count());

    private static string Plural(int n) => n == 1 ? "" : "s";


    [LoggerMessage(LogLevel.Warning, "Rule state unavailable, duplicate and flood checks skipped: {Error}")]
    private static partial void LogRuleStateDown(ILogger logger, string error);

    private sealed record SiteWords(WordList Block, WordList Hold);
}
