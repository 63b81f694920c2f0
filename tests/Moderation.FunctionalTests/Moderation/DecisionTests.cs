using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;
using static Moderation.FunctionalTests.Infrastructure.Problems;
using static Moderation.FunctionalTests.Infrastructure.StaffData;

namespace Moderation.FunctionalTests.Moderation;

/// <summary>Decisions on one comment, on many by id and on a filtered queue: effects, labels, audit, conflicts, bad input.</summary>
public sealed class DecisionTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _staff = app.StaffClient();
    private readonly CommentsClient _reader = new(app.CreateClient());

    [Fact]
    public async Task Approving_a_held_comment_publishes_it_and_records_who_and_when()
    {
        var thread = NewThread();
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Held));
        Assert.Empty(IdsOf((await _reader.GetThreadAsync(thread)).Json!));

        var result = await (await _staff.DecideAsync(comment.Id, "approve", revision: 0)).OkJsonAsync();

        Assert.Equal("approved", (string?)result["status"]);
        Assert.Equal(1, (int?)result["revision"]);
        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Contains(comment.Id), "the approved comment on the read side", TimeSpan.FromSeconds(1));
        var stored = (await app.FindCommentAsync(comment.Id))!;
        Assert.Equal("bootstrap", stored.DecidedBy);
        Assert.NotNull(stored.DecidedAt);
        Assert.NotNull(stored.PublishedAt);
        Assert.Equal(1, await app.AuditCountAsync("comment.approve", comment.Id));
        var entry = await app.QueryAsync(db => db.Audit.SingleAsync(a => a.TargetId == comment.Id.ToString()));
        Assert.Contains("\"held\"", entry.Before);
        Assert.Contains("\"approved\"", entry.After);
    }

    [Fact]
    public async Task Spam_on_a_published_comment_hides_it_and_labels_it_and_not_spam_relabels_it()
    {
        var thread = NewThread();
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Approved, 0.2));
        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Contains(comment.Id), "the comment, cached by the read side");

        Assert.Equal("spam", (string?)(await (await _staff.DecideAsync(comment.Id, "spam")).OkJsonAsync())["status"]);
        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Count == 0, "the spam to leave the read side", TimeSpan.FromSeconds(1));
        var label = await app.QueryAsync(db => db.Labels.SingleAsync(l => l.CommentId == comment.Id));
        Assert.Equal(LabelKind.Spam, label.Kind);
        Assert.Equal("bootstrap", label.By);

        Assert.Equal("approved", (string?)(await (await _staff.DecideAsync(comment.Id, "notSpam", revision: 1)).OkJsonAsync())["status"]);
        Assert.Equal(LabelKind.Ham, (await app.QueryAsync(db => db.Labels.SingleAsync(l => l.CommentId == comment.Id))).Kind);
        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Contains(comment.Id), "the comment back on the read side", TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Reject_keeps_its_reason_code_and_delete_removes()
    {
        var rejected = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));
        var deleted = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));

        Assert.Equal("rejected", (string?)(await (await _staff.DecideAsync(rejected.Id, "reject", reason: "personalAttack")).OkJsonAsync())["status"]);
        Assert.Equal("deleted", (string?)(await (await _staff.DecideAsync(deleted.Id, "delete")).OkJsonAsync())["status"]);

        Assert.Equal("personalAttack", (await app.FindCommentAsync(rejected.Id))!.RejectReason);
        Assert.Equal(CommentStatus.Deleted, (await app.FindCommentAsync(deleted.Id))!.Status);
        Assert.Equal(1, await app.AuditCountAsync("comment.reject", rejected.Id));
        Assert.Equal(1, await app.AuditCountAsync("comment.delete", deleted.Id));
        Assert.False(await app.QueryAsync(db => db.Labels.AnyAsync(l => l.CommentId == rejected.Id || l.CommentId == deleted.Id)));
    }

    [Fact]
    public async Task Stale_revision_is_a_conflict_but_the_same_decision_again_is_not()
    {
        var comment = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));
        await (await _staff.DecideAsync(comment.Id, "approve", revision: 0)).OkJsonAsync();

        var again = await (await _staff.DecideAsync(comment.Id, "approve", revision: 0)).OkJsonAsync();
        var problem = await AssertProblemAsync(await _staff.DecideAsync(comment.Id, "spam", revision: 0), HttpStatusCode.Conflict);
        var withoutRevision = await AssertProblemAsync(await _staff.DecideAsync(comment.Id, "reject", reason: "spam"), HttpStatusCode.Conflict);

        Assert.Equal(1, (int?)again["revision"]);
        Assert.Equal("approved", (string?)problem["currentStatus"]);
        Assert.Equal(1, (int?)problem["currentRevision"]);
        Assert.Equal("approved", (string?)withoutRevision["currentStatus"]);
        Assert.Equal(CommentStatus.Approved, (await app.FindCommentAsync(comment.Id))!.Status);
        Assert.Equal(1, await app.AuditCountAsync("comment.approve", comment.Id));
        // The current revision lets a person change a decision on purpose.
        Assert.Equal("spam", (string?)(await (await _staff.DecideAsync(comment.Id, "spam", revision: 1)).OkJsonAsync())["status"]);
    }

    [Fact]
    public async Task Two_different_decisions_racing_on_one_comment_exactly_one_wins()
    {
        for (var round = 0; round < 5; round++)
        {
            var comment = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));
            var responses = await Task.WhenAll(
                app.StaffClient().DecideAsync(comment.Id, "approve", revision: 0),
                app.StaffClient().DecideAsync(comment.Id, "spam", revision: 0));

            var statuses = responses.Select(r => r.StatusCode).Order().ToList();
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
            var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).OkJsonAsync();
            var stored = (await app.FindCommentAsync(comment.Id))!;
            Assert.Equal((string?)winner["status"], stored.Status.ToString().ToLowerInvariant());
            Assert.Equal(1, stored.Revision);
            Assert.Equal(1, await app.QueryAsync(db => db.Audit.CountAsync(a => a.TargetId == comment.Id.ToString())));
        }
    }

    [Fact]
    public async Task Two_same_decisions_racing_both_succeed_and_apply_once()
    {
        var comment = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));

        var responses = await Task.WhenAll(
            app.StaffClient().DecideAsync(comment.Id, "spam", revision: 0),
            app.StaffClient().DecideAsync(comment.Id, "spam", revision: 0));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await app.AuditCountAsync("comment.spam", comment.Id));
        Assert.Equal(1, (await app.FindCommentAsync(comment.Id))!.Revision);
    }

    [Theory]
    [InlineData("""{"decision":"publish"}""", "decision")]
    [InlineData("""{}""", "decision")]
    [InlineData("""{"decision":"reject"}""", "reason")]
    [InlineData("""{"decision":"reject","reason":"boring"}""", "reason")]
    [InlineData("""{"decision":"approve","revision":-1}""", "revision")]
    public async Task Bad_decision_is_a_problem_and_changes_nothing(string json, string field)
    {
        var comment = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));

        await AssertProblemAsync(await _staff.PostRawAsync($"/api/v1/moderation/comments/{comment.Id}/decision", json), HttpStatusCode.BadRequest, field);

        var stored = (await app.FindCommentAsync(comment.Id))!;
        Assert.Equal(CommentStatus.Held, stored.Status);
        Assert.Equal(0, stored.Revision);
    }

    [Fact]
    public async Task Decision_on_an_unknown_comment_is_404_and_on_another_site_403()
    {
        var other = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));
        var scoped = app.StaffClient(await app.CreateKeyAsync("moderator", StandaloneApp.LimitedSite));

        await AssertProblemAsync(await _staff.DecideAsync(Guid.NewGuid(), "approve"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await scoped.DecideAsync(other.Id, "approve"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostJsonAsync("/api/v1/moderation/decisions", new { decision = "approve", ids = new[] { other.Id } }), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostJsonAsync("/api/v1/moderation/decisions/by-filter", new { decision = "approve", queue = "held", siteId = StandaloneApp.Site }), HttpStatusCode.Forbidden);
        Assert.Equal(CommentStatus.Held, (await app.FindCommentAsync(other.Id))!.Status);
    }

    [Fact]
    public async Task Approving_a_reported_comment_clears_its_reports_from_the_queue()
    {
        var thread = NewThread();
        var reported = Scored(thread, CommentStatus.Approved);
        reported.ReportCount = 2;
        await app.StoreAsync(reported);

        await (await _staff.DecideAsync(reported.Id, "approve")).OkJsonAsync();

        Assert.Equal(0, (await app.FindCommentAsync(reported.Id))!.ReportCount);
        Assert.Empty(Ids(await _staff.GetJsonAsync($"/api/v1/moderation/queues/reported?siteId={StandaloneApp.Site}&threadId={thread}")));
    }

    [Fact]
    public async Task Bulk_approve_of_hundreds_by_id_applies_each_once_with_an_audit_entry()
    {
        var thread = NewThread();
        var held = await app.StoreAsync(Enumerable.Range(0, 400).Select(i => Scored(thread, CommentStatus.Held, at: DateTime.UtcNow.AddSeconds(-i))));
        var decidedOtherwise = await app.StoreAsync(Scored(thread, CommentStatus.Held));
        await (await _staff.DecideAsync(decidedOtherwise.Id, "spam")).OkJsonAsync();
        var unknown = Guid.NewGuid();

        var result = await (await _staff.PostJsonAsync("/api/v1/moderation/decisions",
            new { decision = "approve", ids = held.Select(c => c.Id).Append(decidedOtherwise.Id).Append(unknown).Append(held[0].Id) })).OkJsonAsync();

        Assert.Equal(400, (int?)result["applied"]);
        Assert.Equal(0, (int?)result["unchanged"]);
        Assert.Equal([decidedOtherwise.Id.ToString()], result["conflicts"]!.AsArray().Select(x => (string)x!));
        Assert.Equal([unknown.ToString()], result["notFound"]!.AsArray().Select(x => (string)x!));
        var ids = held.Select(c => c.Id).ToList();
        Assert.Equal(400, await app.QueryAsync(db => db.Comments.CountAsync(c => ids.Contains(c.Id) && c.Status == CommentStatus.Approved && c.Revision == 1)));
        var targets = ids.Select(i => i.ToString()).ToList();
        Assert.Equal(400, await app.QueryAsync(db => db.Audit.CountAsync(a => a.Action == "comment.approve" && targets.Contains(a.TargetId))));
        var page = await _reader.WaitForThreadAsync(thread, p => (int)p["count"]! == 400, "the approved comments on the read side");
        Assert.Equal(400, (int)page["count"]!);

        var again = await (await _staff.PostJsonAsync("/api/v1/moderation/decisions", new { decision = "approve", ids = ids.Take(10) })).OkJsonAsync();
        Assert.Equal(0, (int?)again["applied"]);
        Assert.Equal(10, (int?)again["unchanged"]);
    }

    [Fact]
    public async Task Bulk_spam_writes_one_label_per_comment()
    {
        var spam = await app.StoreAsync(Enumerable.Range(0, 50).Select(_ => Scored(NewThread(), CommentStatus.Spam, 0.95)));
        var ids = spam.Select(c => c.Id).ToList();

        var result = await (await _staff.PostJsonAsync("/api/v1/moderation/decisions", new { decision = "spam", ids })).OkJsonAsync();

        Assert.Equal(50, (int?)result["applied"]);
        Assert.Equal(50, await app.QueryAsync(db => db.Labels.CountAsync(l => ids.Contains(l.CommentId) && l.Kind == LabelKind.Spam)));
    }

    [Theory]
    [InlineData("""{"decision":"approve"}""", "ids")]
    [InlineData("""{"decision":"approve","ids":[]}""", "ids")]
    [InlineData("""{"decision":"sing","ids":["0195f3c4-0000-7000-8000-000000000000"]}""", "decision")]
    [InlineData("""{"decision":"reject","ids":["0195f3c4-0000-7000-8000-000000000000"]}""", "reason")]
    public async Task Bad_bulk_decision_is_a_problem(string json, string field) =>
        await AssertProblemAsync(await _staff.PostRawAsync("/api/v1/moderation/decisions", json), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Bulk_of_more_than_a_thousand_ids_is_refused()
    {
        var json = new JsonObject { ["decision"] = "approve", ["ids"] = new JsonArray([.. Enumerable.Range(0, 1001).Select(_ => (JsonNode)Guid.NewGuid().ToString())]) };

        await AssertProblemAsync(await _staff.PostRawAsync("/api/v1/moderation/decisions", json.ToJsonString()), HttpStatusCode.BadRequest, "ids");
    }

    [Fact]
    public async Task Approve_all_held_on_a_thread_by_filter()
    {
        var thread = NewThread();
        var held = await app.StoreAsync(Enumerable.Range(0, 300).Select(i => Scored(thread, CommentStatus.Held, 0.5 + i / 1000.0)));
        var elsewhere = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));

        var result = await (await _staff.PostJsonAsync("/api/v1/moderation/decisions/by-filter",
            new { decision = "approve", queue = "held", siteId = StandaloneApp.Site, threadId = thread })).OkJsonAsync();

        Assert.Equal(300, (int?)result["applied"]);
        Assert.Empty(Ids(await _staff.GetJsonAsync($"/api/v1/moderation/queues/held?siteId={StandaloneApp.Site}&threadId={thread}")));
        Assert.Equal(CommentStatus.Held, (await app.FindCommentAsync(elsewhere.Id))!.Status);
        await _reader.WaitForThreadAsync(thread, p => (int)p["count"]! == held.Count, "the thread's comments on the read side");
    }

    [Fact]
    public async Task Decision_by_filter_honours_score_range_and_max()
    {
        var thread = NewThread();
        await app.StoreAsync(Enumerable.Range(0, 10).Select(i => Scored(thread, CommentStatus.Held, i / 10.0)));

        var result = await (await _staff.PostJsonAsync("/api/v1/moderation/decisions/by-filter",
            new { decision = "spam", queue = "held", siteId = StandaloneApp.Site, threadId = thread, minScore = 0.5, max = 3 })).OkJsonAsync();

        Assert.Equal(3, (int?)result["applied"]);
        var spam = await app.QueryAsync(db => db.Comments.Where(c => c.ThreadId == thread && c.Status == CommentStatus.Spam).Select(c => c.SpamScore).ToListAsync());
        Assert.Equal(3, spam.Count);
        Assert.All(spam, s => Assert.True(s >= 0.5));
    }

    [Theory]
    [InlineData("""{"decision":"approve","queue":"held"}""", "siteId")]
    [InlineData("""{"decision":"approve","queue":"everything","siteId":"news"}""", "queue")]
    [InlineData("""{"decision":"approve","queue":"held","siteId":"no-such-site"}""", "siteId")]
    [InlineData("""{"decision":"approve","queue":"held","siteId":"news","minScore":2}""", "minScore")]
    [InlineData("""{"decision":"approve","queue":"held","siteId":"news","max":0}""", "max")]
    [InlineData("""{"decision":"approve","queue":"held","siteId":"news","threadId":""}""", "threadId")]
    public async Task Bad_decision_by_filter_is_a_problem_and_changes_nothing(string json, string field)
    {
        var before = await _staff.GetJsonAsync($"/api/v1/moderation/counts?siteId={StandaloneApp.Site}");

        await AssertProblemAsync(await _staff.PostRawAsync("/api/v1/moderation/decisions/by-filter", json), HttpStatusCode.BadRequest, field);

        Assert.Equal(before.ToJsonString(), (await _staff.GetJsonAsync($"/api/v1/moderation/counts?siteId={StandaloneApp.Site}")).ToJsonString());
    }
}
