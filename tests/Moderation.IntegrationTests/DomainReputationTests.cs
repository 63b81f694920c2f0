using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Reputation;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Rules;
using Moderation.Spam;

namespace Moderation.IntegrationTests;

/// <summary>
/// Domain reputation on real PostgreSQL and on SQLite, whose SQL differs: the counters' upsert (created, added, never
/// below zero) and the scorer's lookup of a whole batch's domains in one query.
/// </summary>
public sealed class DomainReputationTests
{
    private const string SiteId = "reputation";
    private const string OtherSiteId = "reputation-other";

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Counts_are_created_added_and_never_taken_below_zero(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Open();
        var at = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.AddAsync([new("spam.example", SiteId, 1, 0), new("spam.example", DomainReputation.EverySite, 1, 0),
                new("spam.example", SiteId, 2, 0), new("ham.example", SiteId, 0, 1)], at, default);
            await transaction.CommitAsync();
        }
        await db.AddAsync([new("spam.example", SiteId, -1, 1), new("ham.example", SiteId, 0, -5), new("gone.example", SiteId, -1, 0)], at.AddHours(1), default);

        var rows = await db.DomainReputation.AsNoTracking().OrderBy(d => d.Domain).ThenBy(d => d.Scope).ToListAsync();
        Assert.Equal(
            [("ham.example", SiteId, 0, 0), ("spam.example", DomainReputation.EverySite, 1, 0), ("spam.example", SiteId, 2, 1)],
            rows.Select(r => (r.Domain, r.Scope, r.SpamCount, r.HamCount)));
        Assert.Equal(at.AddHours(1), rows.Single(r => r.Domain == "spam.example" && r.Scope == SiteId).LastSeenAt);
        Assert.All(rows, r => Assert.Equal(DomainOverride.None, r.Override));
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_batch_looks_its_domains_up_in_one_query_on_its_sites_and_every_site(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var commands = new CommandCounter();
        await using var db = database.Open(commands);
        Site site = new() { Id = SiteId, Name = "Reputation" }, other = new() { Id = OtherSiteId, Name = "Other" };
        db.Sites.AddRange(site, other);
        db.DomainReputation.AddRange(
            new DomainReputation { Domain = "held-links.example", Scope = SiteId, SpamCount = 3, HamCount = 1 },
            new DomainReputation { Domain = "campaign-deals.top", Scope = DomainReputation.EverySite, SpamCount = 7 },
            new DomainReputation { Domain = "blocked.example", Scope = DomainReputation.EverySite, Override = DomainOverride.Blocked },
            new DomainReputation { Domain = "blocked.example", Scope = OtherSiteId, Override = DomainOverride.Trusted },
            new DomainReputation { Domain = "library.example", Scope = SiteId, SpamCount = 9, Override = DomainOverride.Trusted });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var rules = TestRules.On(db);
        (CommentSubmitted, Site)[] batch =
        [
            (Submission("Figures at https://shop.held-links.example/budget are worth a look.", null), site),
            (Submission("See campaign-deals.top for more.", null), site),
            (Submission("Nothing linked here, just an opinion on the vote.", "https://blocked.example/me"), site),
            (Submission("Nothing linked here either.", "https://blocked.example/me"), other),
            (Submission("The reading list at https://library.example/list helped.", null), site),
            (Submission("Held only on its own site: https://held-links.example/x", null), other),
        ];
        commands.Count = 0;
        var outcomes = await rules.EvaluateBatchAsync(batch, default);

        Assert.Equal(4, commands.Count); // the bans, the authors' history on each of the two sites, the domains
        Assert.Equal(RuleVerdict.Hold, outcomes[0].Verdict);
        Assert.Contains("links held-links.example, marked spam 3 times, approved 1 time", outcomes[0].Reasons);
        Assert.Equal(RuleVerdict.Spam, outcomes[1].Verdict);
        Assert.Contains("links campaign-deals.top, marked spam 7 times across sites", outcomes[1].Reasons);
        Assert.Equal(RuleVerdict.Spam, outcomes[2].Verdict);
        Assert.Contains("links blocked.example, blocked by an admin", outcomes[2].Reasons);
        Assert.Equal(RuleVerdict.None, outcomes[3].Verdict); // the other site trusts it
        Assert.Contains("links blocked.example, trusted by an admin", outcomes[3].Reasons);
        Assert.Equal(RuleVerdict.None, outcomes[4].Verdict);
        Assert.Contains("links library.example, trusted by an admin", outcomes[4].Reasons);
        Assert.Equal(RuleVerdict.None, outcomes[5].Verdict);
    }

    private static CommentSubmitted Submission(string body, string? authorUrl) => new(
        Guid.NewGuid(), SiteId, "news/budget", null, null, null, "A Reader", "reader@example.org", authorUrl, body,
        DateTime.UtcNow, "203.0.113.9", null, null, null, HoneypotFilled: false, ElapsedMs: 60_000);
}
