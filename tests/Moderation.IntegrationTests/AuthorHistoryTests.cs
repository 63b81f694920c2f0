using Microsoft.EntityFrameworkCore;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Rules;
using Moderation.Scoring.Scoring;

using Moderation.Spam;

namespace Moderation.IntegrationTests;

/// <summary>
/// The "previously approved author" rule on a batch of many authors: each author's own count, capped, the batch
/// itself left out, in one query per site rather than one per author. On real PostgreSQL and on SQLite, whose
/// SQL differs.
/// </summary>
public sealed class AuthorHistoryTests
{
    private const string SiteId = "history";

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_batch_of_authors_gets_each_ones_approved_count_from_one_query(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var commands = new CommandCounter();
        await using var db = database.Open(commands);
        var site = new Site { Id = SiteId, Name = "History", TrustApprovedAuthors = true };
        db.Sites.Add(site);
        // regular: 3 approved and 1 held; veteran: more approved than the cap; newcomer: nothing approved.
        Store(db, "regular@example.org", CommentStatus.Approved, 3);
        Store(db, "regular@example.org", CommentStatus.Held, 1);
        Store(db, "veteran@example.org", CommentStatus.Approved, 105);
        // One of the batch's own comments is already stored as approved (a redelivery): it does not count.
        var batch = new[] { "regular@example.org", "veteran@example.org", "newcomer@example.org", "regular@example.org" }
            .Zip(Bodies, Submission).ToList();
        var redelivered = batch[2].ToPendingComment();
        redelivered.Status = CommentStatus.Approved;
        db.Comments.Add(redelivered);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var rules = TestRules.On(db);
        commands.Count = 0;
        var outcomes = await rules.EvaluateBatchAsync([.. batch.Select(c => (c, site))], default);

        Assert.Equal(2, commands.Count); // the bans, then every author's history
        Assert.Equal(RuleVerdict.Trusted, outcomes[0].Verdict);
        Assert.Contains("3 approved comments from this address", outcomes[0].Reasons);
        Assert.Contains("100+ approved comments from this address", outcomes[1].Reasons);
        Assert.Equal(RuleVerdict.None, outcomes[2].Verdict);
        Assert.Contains("first comment from this address", outcomes[2].Reasons);
        Assert.Contains("3 approved comments from this address", outcomes[3].Reasons);
    }

    private static readonly string[] Bodies =
    [
        "The council should publish the full budget before the vote, not after it.",
        "My street lost its bus route last spring and nobody asked us first.",
        "Does anyone know when the library reopens? The article does not say.",
        "Good reporting. The figures on school funding match what our head teacher told parents.",
    ];

    private static void Store(ModerationDb db, string email, CommentStatus status, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var comment = Submission(email, $"Earlier comment {i} from {email}").ToPendingComment();
            comment.Status = status;
            db.Comments.Add(comment);
        }
    }

    private static CommentSubmitted Submission(string email, string body) => new(
        Guid.NewGuid(), SiteId, "news/budget", null, null, null, "A Reader", email, null, body,
        DateTime.UtcNow, "203.0.113.9", null, null, null, HoneypotFilled: false, ElapsedMs: 60_000);
}
