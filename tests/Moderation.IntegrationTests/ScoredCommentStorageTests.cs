using System.Data.Common;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Scoring;

using Moderation.Spam;

namespace Moderation.IntegrationTests;

/// <summary>
/// How the worker stores what it scored: on PostgreSQL one set-based insert without EF's change tracker, on SQLite
/// EF's tracked insert. Every column survives the trip, and on PostgreSQL a batch that another worker stored first (the
/// same messages delivered to two workers at once) is stored once, with the first worker's decisions announced by both.
/// </summary>
public sealed class ScoredCommentStorageTests
{
    private const string SiteId = "storage";

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Every_column_of_a_new_comment_is_stored_as_given(string provider)
    {
        await using var store = await StoreAsync(provider);
        await using var db = store.Open();
        var full = Comment("Ünïcödé \"quoted\", {braced} and 'single' – with a <b>tag</b>");
        full.ParentId = Guid.NewGuid();
        full.ThreadUrl = "https://news.example/budget";
        full.ThreadTitle = "The budget";
        full.AuthorUrl = "https://reader.example";
        full.UserAgent = "Mozilla/5.0";
        full.Referrer = "https://news.example/";
        full.Language = "de-DE";
        full.HoneypotFilled = true;
        full.ElapsedMs = 1234;
        full.Status = CommentStatus.Approved;
        full.PublishedAt = full.ScoredAt;
        full.Reasons = ["contains held word 'a, b'", "{\"json\": [1]}", "", "NULL", "ß 東京 🙂"];
        // Not set by scoring, but a row inserted this way keeps every column it is given.
        full.ReportCount = 2;
        full.LastReportedAt = full.SubmittedAt.AddMinutes(3);
        full.DecidedBy = "moderator@news.example";
        full.DecidedAt = full.SubmittedAt.AddMinutes(5);
        full.RejectReason = "off-topic";
        full.Revision = 3;
        var bare = Comment("Plain.");
        bare.ClientIp = null;
        bare.ElapsedMs = null;
        bare.SpamScore = null;
        bare.ModelVersion = null;
        bare.Reasons = [];

        var (written, inserted) = await db.InsertAsync([full, bare], default);
        await db.SaveChangesAsync();

        Assert.Equal(provider == "postgres", written);
        if (written) Assert.Equal(2, inserted);
        await using var check = store.Open();
        foreach (var expected in new[] { full, bare })
        {
            var stored = await check.Comments.AsNoTracking().SingleAsync(c => c.Id == expected.Id);
            Assert.Equivalent(expected, stored, strict: true);
        }
    }

    [Fact]
    public async Task Rows_already_stored_are_left_as_they_are_and_not_counted()
    {
        await using var store = await StoreAsync("postgres");
        var theirs = Comment("Stored first by another worker.");
        theirs.Status = CommentStatus.Held;
        await using (var first = store.Open())
        {
            await first.InsertAsync([theirs], default);
        }

        await using var db = store.Open();
        var mine = Comment(theirs.Body);
        mine.Id = theirs.Id;
        mine.Status = CommentStatus.Approved;
        var (_, inserted) = await db.InsertAsync([mine, Comment("A new one.")], default);

        Assert.Equal(1, inserted);
        Assert.Equal(CommentStatus.Held, (await db.Comments.AsNoTracking().SingleAsync(c => c.Id == theirs.Id)).Status);
    }

    // PostgreSQL only: two workers on one SQLite file cannot happen (the standalone host is one process, and SQLite's
    // write lock would keep the second waiting rather than racing).
    [Fact]
    public async Task A_batch_another_worker_stores_first_is_stored_once_and_both_announce_the_first_decisions()
    {
        await using var store = await StoreAsync("postgres");
        int held = 0, published = 0;
        var bus = Bus.Factory.CreateUsingInMemory(cfg => cfg.ReceiveEndpoint("decisions", e =>
        {
            e.Handler<CommentHeld>(_ => Task.FromResult(Interlocked.Increment(ref held)));
            e.Handler<CommentPublished>(_ => Task.FromResult(Interlocked.Increment(ref published)));
        }));
        await bus.StartAsync();
        try
        {
            CommentSubmitted[] batch = [Submission("First of the batch."), Submission("Second of the batch.")];
            var firstScored = false;
            // The second worker's insert waits until the first worker has scored and stored the whole batch. The first
            // sees the site as premoderated (a setting that changed between them): its decisions are "held".
            var race = new BeforeCommentInsert(async () =>
            {
                await using var otherDb = store.Open();
                await Worker(otherDb, bus, premoderated: true).ScoreBatchAsync(batch, default);
                firstScored = true;
            });
            await using var db = store.Open(race);

            await Worker(db, bus, premoderated: false).ScoreBatchAsync(batch, default);

            Assert.True(firstScored);
            await using var check = store.Open();
            Guid[] ids = [.. batch.Select(s => s.CommentId)];
            var stored = await check.Comments.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync();
            Assert.Equal(2, stored.Count);
            Assert.All(stored, c => Assert.Equal(CommentStatus.Held, c.Status));
            await Eventually.Until(() => Volatile.Read(ref held), n => n == 4,
                "each worker's announcement of both comments as held", TimeSpan.FromSeconds(10));
            Assert.Equal(0, Volatile.Read(ref published));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static CommentScoringService Worker(ModerationDb db, IPublishEndpoint bus, bool premoderated)
    {
        return new CommentScoringService(db, new OneSite(premoderated), new HeuristicScorer(), TestRules.On(db), bus, NullLogger<CommentScoringService>.Instance);
    }

    private static Comment Comment(string body)
    {
        var comment = Submission(body).ToPendingComment();
        // Both databases keep microseconds, .NET ticks are a tenth of one.
        comment.SubmittedAt = new DateTime(comment.SubmittedAt.Ticks / 10 * 10, DateTimeKind.Utc);
        comment.ScoredAt = comment.SubmittedAt.AddSeconds(1);
        comment.Status = CommentStatus.Spam;
        comment.SpamScore = 0.97;
        comment.ModelVersion = "test-1";
        comment.ApproveBelowUsed = 0.3;
        comment.RejectAboveUsed = 0.9;
        comment.Reasons = ["a reason"];
        return comment;
    }

    private static CommentSubmitted Submission(string body) => new(
        Guid.NewGuid(), SiteId, "news/budget", null, null, null, "A Reader", "reader@example.org", null, body,
        DateTime.UtcNow, "203.0.113.9", null, null, null, HoneypotFilled: false, ElapsedMs: 60_000);

    private sealed class OneSite(bool premoderated) : ISiteRegistry
    {
        private readonly Site _site = new() { Id = SiteId, Name = "Storage", PremoderateAll = premoderated };

        public Site? Find(string siteId) => siteId == SiteId ? _site : null;

        public bool IsAllowedOriginForAnySite(string origin) => false;

        public Task ReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Runs an action once, just before the first command that inserts comments is sent.</summary>
    private sealed class BeforeCommentInsert(Func<Task> action) : DbCommandInterceptor
    {
        private int _ran;

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await RunBeforeInsertAsync(command);
            return result;
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await RunBeforeInsertAsync(command);
            return result;
        }

        private async Task RunBeforeInsertAsync(DbCommand command)
        {
            var text = command.CommandText.Replace("\"", "");
            if (text.Contains("INSERT INTO comments", StringComparison.OrdinalIgnoreCase) && Interlocked.Exchange(ref _ran, 1) == 0)
                await action();
        }
    }

    private static async Task<TestDatabase> StoreAsync(string provider)
    {
        var store = await TestDatabase.CreateAsync(provider);
        await using var db = store.Open();
        db.Sites.Add(new Site { Id = SiteId, Name = "Storage" });
        await db.SaveChangesAsync();
        return store;
    }
}
