using Moderation.Contracts;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Rules;
using Moderation.Scoring.Scoring;
using Moderation.Spam;

namespace Moderation.IntegrationTests;

/// <summary>
/// The rule for replies to comments nobody can see ("@Name …" when none of Name's comments in the thread is published), on a
/// thread already stored and within one batch. On real PostgreSQL and on SQLite, whose SQL differs.
/// </summary>
public sealed class ReplyRuleTests
{
    private const string SiteId = "replies";
    private const string Thread = "news/boiler-grants";

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_reply_to_authors_whose_comments_in_the_thread_are_all_unpublished_is_held(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Open();
        var site = new Site { Id = SiteId, Name = "Replies" };
        db.Sites.Add(site);
        Store(db, "Jack Morrow", CommentStatus.Held, "Has anyone had their boiler done under the grant? Which firm?");
        Store(db, "Jack Morrow", CommentStatus.Spam, "Castleford Heating are the ones to call, trust me.");
        Store(db, "Margaret Hollis", CommentStatus.Approved, "Our boiler grant took four months to come through.");
        Store(db, "Margaret Ellis", CommentStatus.Held, "Same here, it took ages.");
        Store(db, "Jack Morrow", CommentStatus.Approved, "A comment by another Jack Morrow on another thread.", thread: "news/elsewhere");
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var batch = new[]
        {
            Submission("Mike Ormerod", "@Jack Morrow Castleford did ours as well, Darren is a proper gent."),
            Submission("Dave Pritchard", "@Jack same question, did you find anyone?"),
            Submission("Ann Lowe", "@Margaret agreed, four months is far too long."), // one Margaret is published
            Submission("Ann Lowe", "@Margaret Ellis I think you replied to the wrong article."), // the full name is not
            Submission("Ann Lowe", "@Council the grant rules need changing."), // no such author: not a reply
            Submission("Dorothy Vane", "Has anyone used Keel & Harrow for a new boiler?"),
            Submission("Sheila Bramley", "@Dorothy yes, Keel & Harrow were brilliant, ring them."), // sent after it, same batch
            Submission("Ann Lowe", "Is the grant means-tested? The article does not say."),
            Submission("Tom Keegan", "@Jack Morrow see the other article.") with { ThreadId = "news/elsewhere" },
        };

        var outcomes = await TestRules.On(db).EvaluateBatchAsync([.. batch.Select(c => (c, site))], default);

        Assert.Equal([RuleVerdict.Hold, RuleVerdict.Hold, RuleVerdict.None, RuleVerdict.Hold, RuleVerdict.None, RuleVerdict.None, RuleVerdict.Hold, RuleVerdict.None, RuleVerdict.None],
            outcomes.Select(o => o.Verdict));
        Assert.Contains("replies to @Jack Morrow, whose comments in this thread are not published", outcomes[0].Reasons);
        Assert.Contains("replies to @Jack, whose comments in this thread are not published", outcomes[1].Reasons);
        Assert.Contains("replies to @Dorothy, whose comments in this thread are not published", outcomes[6].Reasons);
        Assert.DoesNotContain(outcomes[2].Reasons, r => r.StartsWith("replies to"));
    }

    private static void Store(Moderation.Data.ModerationDb db, string author, CommentStatus status, string body, string thread = Thread)
    {
        var comment = (Submission(author, body) with { ThreadId = thread }).ToPendingComment();
        comment.Status = status;
        db.Comments.Add(comment);
    }

    private static int _sent;

    // An address of its own each: the flood rule must not speak here.
    private static CommentSubmitted Submission(string author, string body) => new(
        Guid.NewGuid(), SiteId, Thread, null, null, null, author, $"{author.Replace(' ', '.').ToLowerInvariant()}@example.org", null, body,
        DateTime.UtcNow, $"203.0.113.{Interlocked.Increment(ref _sent) % 250 + 1}", null, null, null, HoneypotFilled: false, ElapsedMs: 60_000);
}
