using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reputation;
using Moderation.Data.Reviews;
using Moderation.Data.Sites;
using Moderation.Scoring.Scoring;
using StackExchange.Redis;

using Moderation.Spam.Text;
using Moderation.Spam.Threads;

using Moderation.Spam;

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

    public async Task<RuleOutcome> EvaluateAsync(CommentSubmitted c, Site site, CancellationToken ct) =>
        (await EvaluateBatchAsync([(c, site)], ct))[0];

    /// <summary>
    /// The rules for many comments, in the order given: one database query for their bans, one for the reputation of
    /// the domains they link, one per site for their authors' history, and their rule-state calls concurrently
    /// (pipelined on the Redis connection).
    /// </summary>
    public async Task<IReadOnlyList<RuleOutcome>> EvaluateBatchAsync(IReadOnlyList<(CommentSubmitted Comment, Site Site)> batch, CancellationToken ct)
    {
        var authors = batch.Select(b => new Author(b.Site.Id, CommentMapping.HashEmail(b.Comment.AuthorEmail), b.Comment.ClientIp)).ToList();
        var bans = await ActiveBansAsync(authors, batch.Min(b => b.Comment.SubmittedAt), ct);
        var recent = await Task.WhenAll(batch.Select((b, i) => RecentActivityAsync(b.Comment, authors[i], ct)));
        var approved = await ApprovedCountsAsync(authors, [.. batch.Select(b => b.Comment.CommentId)], ct);
        var linked = batch.Select(b => Domains.Linked(b.Comment.Body, b.Comment.AuthorUrl)).ToList();
        var reputation = await ReputationAsync(linked, batch.Select(b => b.Site.Id), ct);
        var unseen = await RepliesToUnseenAsync(batch, ct);
        return [.. batch.Select((b, i) => Evaluate(b.Comment, b.Site, authors[i], bans, recent[i], approved, linked[i], reputation, unseen[i]))];
    }

    private RuleOutcome Evaluate(CommentSubmitted c, Site site, Author author, List<Ban> bans, RecentActivity recent, Dictionary<Author, int> approvedFrom,
        IReadOnlyList<string> linked, Dictionary<(string Domain, string Scope), DomainReputation> reputation, ReplyMention? repliesToUnseen)
    {
        var verdict = RuleVerdict.None;
        var reasons = new List<string>();
        void Raise(RuleVerdict to, string reason)
        {
            if (to > verdict) verdict = to;
            reasons.Add(reason);
        }

        var rules = options.Value;
        var words = CompiledWords.GetValue(site, s => new SiteWords(new WordList(s.BlockWords), new WordList(s.HoldWords)));
        string[] texts = [.. new[] { c.AuthorName, c.AuthorEmail, c.AuthorUrl, c.Body }.Select(TextNormalizer.ForMatching)];

        if (c.HoneypotFilled) Raise(RuleVerdict.Spam, "hidden honeypot field filled in");
        if (c.ElapsedMs is { } ms && ms < FastestHumanSubmission.TotalMilliseconds)
            Raise(RuleVerdict.Spam, $"submitted {ms / 1000.0:0.0} s after the form was shown, faster than a person types");
        foreach (var ban in bans.Where(b => Applies(b, author, c.SubmittedAt)).Select(b => b.Kind).Distinct())
            Raise(RuleVerdict.Spam, ban == BanKind.Email ? "banned email address" : "banned IP address");
        foreach (var word in words.Block.FoundIn(texts)) Raise(RuleVerdict.Spam, $"contains blocked word '{word}'");
        foreach (var word in words.Hold.FoundIn(texts)) Raise(RuleVerdict.Hold, $"contains held word '{word}'");

        var links = Links.Count(c.Body);
        if (links > site.MaxLinks) Raise(RuleVerdict.Hold, $"{links} links (the site allows {site.MaxLinks})");
        if (site.PremoderateAll) Raise(RuleVerdict.Hold, "the site premoderates every comment");
        foreach (var domain in linked)
        {
            var here = reputation.GetValueOrDefault((domain, site.Id));
            var everywhere = reputation.GetValueOrDefault((domain, DomainReputation.EverySite));
            // An admin's word on this site wins over one for every site, and either over the counts.
            var admin = here is { Override: not DomainOverride.None } ? here.Override : everywhere?.Override ?? DomainOverride.None;
            if (admin == DomainOverride.Blocked) Raise(RuleVerdict.Spam, $"links {domain}, blocked by an admin");
            else if (admin == DomainOverride.Trusted) reasons.Add($"links {domain}, trusted by an admin");
            else if (Stronger(Judge(domain, here, ""), Judge(domain, everywhere, " across sites")) is { } judged) Raise(judged.Verdict, judged.Reason);
        }

        if (recent.Copies is null) reasons.Add("duplicate and flood checks skipped (rule state unavailable)");
        else
        {
            var exact = recent.Copies.Count(s => s >= rules.CopySimilarity);
            if (exact > 0)
                Raise(RuleVerdict.Spam, $"same text as {exact} other comment{Plural(exact)} in the last {rules.DuplicateWindowMinutes} minutes");
            else if (recent.Copies.Count >= rules.CampaignVariants)
                Raise(RuleVerdict.Spam, $"same text with small changes posted {recent.Copies.Count + 1} times in {rules.DuplicateWindowMinutes} minutes");
            if (recent.FromIp > rules.FloodMaxComments) Raise(RuleVerdict.Hold, $"{recent.FromIp} comments from this IP in {rules.FloodWindowMinutes} minutes");
            if (recent.FromEmail > rules.FloodMaxComments) Raise(RuleVerdict.Hold, $"{recent.FromEmail} comments from this email in {rules.FloodWindowMinutes} minutes");
        }

        if (repliesToUnseen is { } mention)
            Raise(RuleVerdict.Hold, $"replies to @{mention.Full ?? mention.First}, whose comments in this thread are not published");

        var approved = approvedFrom.GetValueOrDefault(author with { Ip = null });
        if (approved == 0)
        {
            if (site.HoldFirstComments) Raise(RuleVerdict.Hold, "first comment from this address, and the site holds first comments");
            else reasons.Add("first comment from this address");
        }
        else
        {
            var history = $"{approved}{(approved == TrustCountCap ? "+" : "")} approved comment{Plural(approved)} from this address";
            if (site.TrustApprovedAuthors) Raise(RuleVerdict.Trusted, history);
            else reasons.Add(history);
        }

        return new RuleOutcome(verdict, reasons);
    }

    /// <summary>
    /// For each comment that opens by addressing authors of earlier comments in its thread (<see cref="ReplyMention"/>), the
    /// mention when none of those comments is published: a reader replies to what they can see, a sock puppet to its own
    /// planted question before anyone could. Earlier comments of the batch were not published when this one was sent.
    /// One query per thread with such a reply.
    /// </summary>
    private async Task<ReplyMention?[]> RepliesToUnseenAsync(IReadOnlyList<(CommentSubmitted Comment, Site Site)> batch, CancellationToken ct)
    {
        var unseen = new ReplyMention?[batch.Count];
        var mentions = batch.Select(b => ReplyMention.In(b.Comment.Body)).ToArray();
        if (mentions.All(m => m is null)) return unseen;
        Guid[] ids = [.. batch.Select(b => b.Comment.CommentId)];
        var stored = new Dictionary<(string Site, string Thread), List<ThreadAuthor>>();
        var earlierInBatch = new Dictionary<(string Site, string Thread), List<ThreadAuthor>>();
        for (var i = 0; i < batch.Count; i++)
        {
            var c = batch[i].Comment;
            var thread = (c.SiteId, c.ThreadId);
            if (!earlierInBatch.TryGetValue(thread, out var sentBefore)) earlierInBatch[thread] = sentBefore = [];
            if (mentions[i] is { } mention)
            {
                if (!stored.TryGetValue(thread, out var authors))
                    stored[thread] = authors = await AuthorsOf.For(db)(db, c.SiteId, c.ThreadId, ids).ToListAsync(ct);
                if (mention.Addressees([.. authors, .. sentBefore], a => a.AuthorName) is { Count: > 0 } addressed && !addressed.Any(a => a.Published))
                    unseen[i] = mention;
            }
            sentBefore.Add(new ThreadAuthor { AuthorName = c.AuthorName, Published = false });
        }
        return unseen;
    }

    private static readonly CompiledPerModel<Func<ModerationDb, string, string, Guid[], IAsyncEnumerable<ThreadAuthor>>> AuthorsOf = new(() =>
        EF.CompileAsyncQuery((ModerationDb db, string siteId, string threadId, Guid[] batch) => db.Comments.AsNoTracking()
            .Where(c => c.SiteId == siteId && c.ThreadId == threadId && !batch.Contains(c.Id))
            .Select(c => new ThreadAuthor { AuthorName = c.AuthorName, Published = c.Status == CommentStatus.Approved })
            .Distinct()));

    /// <summary>What a domain's counts on one scope say: spam or hold once it was marked spam often enough more than approved.</summary>
    private (RuleVerdict Verdict, string Reason)? Judge(string domain, DomainReputation? row, string scope)
    {
        if (row is null) return null;
        var net = row.SpamCount - row.HamCount;
        var verdict = net >= options.Value.DomainSpamToSpam ? RuleVerdict.Spam : net >= options.Value.DomainSpamToHold ? RuleVerdict.Hold : RuleVerdict.None;
        if (verdict == RuleVerdict.None) return null;
        var approved = row.HamCount == 0 ? "" : $", approved {row.HamCount} time{Plural(row.HamCount)}";
        return (verdict, $"links {domain}, marked spam {row.SpamCount} time{Plural(row.SpamCount)}{approved}{scope}");
    }

    /// <summary>The site's own reading unless the every-site one is stronger.</summary>
    private static (RuleVerdict Verdict, string Reason)? Stronger((RuleVerdict Verdict, string Reason)? site, (RuleVerdict Verdict, string Reason)? everySite) =>
        everySite is { } e && (site is not { } s || e.Verdict > s.Verdict) ? everySite : site;

    /// <summary>The rows, on the batch's sites and on every site, of every domain the batch links: one query.</summary>
    private async Task<Dictionary<(string Domain, string Scope), DomainReputation>> ReputationAsync(List<IReadOnlyList<string>> linked,
        IEnumerable<string> sites, CancellationToken ct)
    {
        string[] domains = [.. linked.SelectMany(d => d).Distinct()];
        if (domains.Length == 0) return [];
        string[] scopes = [.. sites.Distinct(), DomainReputation.EverySite];
        var rows = await ReputationOf.For(db)(db, domains, scopes).ToListAsync(ct);
        return rows.ToDictionary(r => (r.Domain, r.Scope));
    }

    private static readonly CompiledPerModel<Func<ModerationDb, string[], string[], IAsyncEnumerable<DomainReputation>>> ReputationOf = new(() =>
        EF.CompileAsyncQuery((ModerationDb db, string[] domains, string[] scopes) => db.DomainReputation.AsNoTracking()
            .Where(d => domains.Contains(d.Domain) && scopes.Contains(d.Scope))));

    /// <summary>Records the comment in the shared rule state: its likely copies and the recent comments from its IP and email.</summary>
    private async Task<RecentActivity> RecentActivityAsync(CommentSubmitted c, Author author, CancellationToken ct)
    {
        try
        {
            var fingerprint = TextNormalizer.ForFingerprint(c.Body);
            if (fingerprint.Length < options.Value.DuplicateMinLength)
            {
                var (ip, email) = await state.RecordAndCountRecentAsync(author.SiteId, c.CommentId, c.ClientIp, author.EmailHash, c.SubmittedAt, ct);
                return new RecentActivity([], ip, email);
            }
            var (copies, fromIp, fromEmail) = await state.RecordAsync(author.SiteId, c.CommentId, Shingles.Of(fingerprint), c.ClientIp, author.EmailHash, c.SubmittedAt, ct);
            return new RecentActivity(copies, fromIp, fromEmail);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The shared rule state is down: score on the rest rather than stop the queue.
            LogRuleStateDown(logger, ex.Message);
            return new RecentActivity(null, 0, 0);
        }
    }

    private static bool Applies(Ban b, Author a, DateTime at) =>
        (b.SiteId == null || b.SiteId == a.SiteId)
        && ((b.Kind == BanKind.Email && b.Value == a.EmailHash) || (a.Ip != null && b.Kind == BanKind.Ip && b.Value == a.Ip))
        && (b.ExpiresAt == null || b.ExpiresAt > at);

    /// <summary>Every ban that may apply to one of the authors; <see cref="Applies"/> says to which.</summary>
    private async Task<List<Ban>> ActiveBansAsync(List<Author> authors, DateTime earliest, CancellationToken ct)
    {
        string[] emails = [.. authors.Select(a => a.EmailHash).Distinct()];
        string[] ips = [.. authors.Where(a => a.Ip != null).Select(a => a.Ip!).Distinct()];
        return await BansOf.For(db)(db, emails, ips, earliest).ToListAsync(ct);
    }

    // Compiled once: run for every batch, and at light traffic every batch is a comment or two, so EF's work of
    // turning the LINQ into SQL each time was most of the query's cost.
    private static readonly CompiledPerModel<Func<ModerationDb, string[], string[], DateTime, IAsyncEnumerable<Ban>>> BansOf = new(() =>
        EF.CompileAsyncQuery((ModerationDb db, string[] emails, string[] ips, DateTime earliest) => db.Bans.AsNoTracking()
            .Where(b => ((b.Kind == BanKind.Email && emails.Contains(b.Value)) || (b.Kind == BanKind.Ip && ips.Contains(b.Value)))
                && (b.ExpiresAt == null || b.ExpiresAt > earliest))));

    /// <summary>Approved comments (up to the cap) from each author of the batch: one query per site, however many authors.</summary>
    private async Task<Dictionary<Author, int>> ApprovedCountsAsync(List<Author> authors, Guid[] batch, CancellationToken ct)
    {
        var counts = new Dictionary<Author, int>();
        foreach (var site in authors.GroupBy(a => a.SiteId))
        {
            string[] emails = [.. site.Select(a => a.EmailHash).Distinct()];
            var approvedCounts = db.Database.IsNpgsql()
                ? await db.Database.SqlQuery<ApprovedCount>(ApprovedFromAuthorsSql(site.Key, emails, batch)).ToListAsync(ct)
                : await ApprovedFromAuthors.For(db)(db, site.Key, emails, batch).ToListAsync(ct);
            foreach (var author in approvedCounts) counts[new Author(site.Key, author.EmailHash, null)] = author.Approved;
        }
        return counts;
    }

    // Capped per author: a regular with thousands of comments must not make every one of their comments count them
    // all. The batch is left out: a redelivered comment, already stored, is not its own history.
    // PostgreSQL: EF cannot translate this shape there (it infers conflicting types for the email list), so it is
    // written out. Elsewhere (SQLite) the same query in LINQ, compiled once.
    private static FormattableString ApprovedFromAuthorsSql(string siteId, string[] emails, Guid[] batch) => $"""
        SELECT e.email AS "EmailHash",
               (SELECT count(*)::int FROM (SELECT 1 FROM comments c
                  WHERE c."SiteId" = {siteId} AND c."EmailHash" = e.email AND c."Status" = {nameof(CommentStatus.Approved)} AND c."Id" <> ALL({batch})
                  LIMIT {TrustCountCap}) capped) AS "Approved"
        FROM unnest({emails}) AS e(email)
        """;

    private static readonly CompiledPerModel<Func<ModerationDb, string, string[], Guid[], IAsyncEnumerable<ApprovedCount>>> ApprovedFromAuthors = new(() =>
        EF.CompileAsyncQuery((ModerationDb db, string siteId, string[] emails, Guid[] batch) => db.Sites
            .Where(s => s.Id == siteId)
            .SelectMany(s => emails.Select(email => new ApprovedCount
            {
                EmailHash = email,
                Approved = db.Comments
                    .Where(x => x.SiteId == siteId && x.EmailHash == email && x.Status == CommentStatus.Approved && !batch.Contains(x.Id))
                    .Take(TrustCountCap).Count(),
            }))));

    private static string Plural(int n) => n == 1 ? "" : "s";


    [LoggerMessage(LogLevel.Warning, "Rule state unavailable, duplicate and flood checks skipped: {Error}")]
    private static partial void LogRuleStateDown(ILogger logger, string error);

    private sealed record SiteWords(WordList Block, WordList Hold);

    /// <summary>How many approved comments (up to the cap) an author has on a site.</summary>
    private sealed class ApprovedCount
    {
        public required string EmailHash { get; init; }
        public required int Approved { get; init; }
    }

    /// <summary>An author of a thread's comments, and whether one of them is published.</summary>
    private sealed class ThreadAuthor
    {
        public required string AuthorName { get; init; }
        public required bool Published { get; init; }
    }

    /// <summary>Who sent a comment, as the bans and the history rules know them.</summary>
    private sealed record Author(string SiteId, string EmailHash, string? Ip);

    /// <summary>What the rule state said of a comment; no copies list when it could not be reached.</summary>
    private sealed record RecentActivity(IReadOnlyList<double>? Copies, int FromIp, int FromEmail);
}
