using System.Net;
using System.Text.Json.Nodes;
using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;
using static Moderation.FunctionalTests.Infrastructure.Problems;
using static Moderation.FunctionalTests.Infrastructure.StaffData;

namespace Moderation.FunctionalTests.Moderation;

/// <summary>The moderation queues: what each holds, filters, sorts, cursor paging, counts, site scope; and comment detail.</summary>
public sealed class QueueTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _staff = app.StaffClient();

    private static string Queue(string queue, string thread, string extra = "") =>
        $"/api/v1/moderation/queues/{queue}?siteId={StandaloneApp.Site}&threadId={Uri.EscapeDataString(thread)}{extra}";

    [Fact]
    public async Task Held_queue_pages_newest_first_by_cursor_without_gaps_or_repeats()
    {
        var thread = NewThread();
        var start = DateTime.UtcNow.AddMinutes(-30);
        // Two share a time, so the id breaks the tie across a page boundary.
        var held = await app.StoreAsync(Enumerable.Range(0, 7).Select(i => Scored(thread, CommentStatus.Held, at: start.AddMinutes(i == 6 ? 5 : i))));
        await app.StoreAsync(Scored(thread, CommentStatus.Approved));

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _staff.GetJsonAsync(Queue("held", thread, "&limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")));
            seen.AddRange(Ids(page));
            cursor = (string?)page["nextCursor"];
            pages++;
        }
        while (cursor is not null);

        var expected = held.OrderByDescending(c => c.SubmittedAt).ThenByDescending(c => c.Id.ToString().ToUpperInvariant()).Select(c => c.Id).ToList();
        Assert.Equal(3, pages);
        Assert.Equal(expected.Count, seen.Distinct().Count());
        Assert.Equal(expected.Select(id => held.Single(c => c.Id == id).SubmittedAt), seen.Select(id => held.Single(c => c.Id == id).SubmittedAt));
        Assert.Equal(expected.ToHashSet(), seen.ToHashSet());
    }

    [Fact]
    public async Task Queue_item_carries_what_a_moderator_decides_on_but_no_private_data()
    {
        var thread = NewThread();
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Held, 0.72, reasons: ["3 links (the site allows 2)", "heuristic score 0.72"]));

        var item = (await _staff.GetJsonAsync(Queue("held", thread)))["items"]![0]!.AsObject();

        Assert.Equal(comment.Id.ToString(), (string?)item["id"]);
        Assert.Equal("held", (string?)item["status"]);
        Assert.Equal(0.72, (double?)item["score"]);
        Assert.Equal("heuristic-1", (string?)item["modelVersion"]);
        Assert.Equal("3 links (the site allows 2)", (string?)item["reasons"]![0]);
        Assert.Equal(thread, (string?)item["threadId"]);
        Assert.Equal("Council agrees next year's budget", (string?)item["threadTitle"]);
        Assert.Equal(0, (int?)item["revision"]);
        Assert.Equal(0, (int?)item["reportCount"]);
        Assert.DoesNotContain("authorEmail", item.ToJsonString());
        Assert.DoesNotContain(Ip, item.ToJsonString());
    }

    [Fact]
    public async Task Filters_narrow_by_reason_score_and_time_and_sorts_order_by_score()
    {
        var thread = NewThread();
        var now = DateTime.UtcNow;
        var links = await app.StoreAsync(Scored(thread, CommentStatus.Held, 0.55, at: now.AddHours(-3), reasons: ["3 links (the site allows 2)"]));
        var word = await app.StoreAsync(Scored(thread, CommentStatus.Held, 0.85, at: now.AddHours(-2), reasons: ["contains held word 'casino'"]));
        var plain = await app.StoreAsync(Scored(thread, CommentStatus.Held, 0.65, at: now.AddHours(-1)));

        Assert.Equal([links.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, "&reason=link"))));
        Assert.Equal([word.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, "&reason=holdWord"))));
        Assert.Equal([word.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, "&reason=CASINO"))));
        Assert.Equal([plain.Id, word.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, "&minScore=0.6"))));
        Assert.Equal([plain.Id, links.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, "&maxScore=0.7"))));
        var from = Uri.EscapeDataString(now.AddHours(-2.5).ToString("O"));
        var to = Uri.EscapeDataString(now.AddHours(-1.5).ToString("O"));
        Assert.Equal([word.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, $"&from={from}&to={to}"))));
        Assert.Equal([word.Id, plain.Id, links.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, "&sort=score"))));
        Assert.Equal([links.Id, plain.Id, word.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, "&sort=scoreAsc"))));
        Assert.Equal([links.Id, word.Id, plain.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread, "&sort=oldest"))));

        var first = await _staff.GetJsonAsync(Queue("held", thread, "&sort=score&limit=2"));
        var second = await _staff.GetJsonAsync(Queue("held", thread, $"&sort=score&limit=2&cursor={Uri.EscapeDataString((string)first["nextCursor"]!)}"));
        Assert.Equal([links.Id], Ids(second));
        Assert.Null(second["nextCursor"]);
    }

    [Fact]
    public async Task Each_queue_holds_its_own_comments_and_counts_follow()
    {
        var thread = NewThread();
        var before = await _staff.GetJsonAsync($"/api/v1/moderation/counts?siteId={StandaloneApp.Site}");
        var held = await app.StoreAsync(Scored(thread, CommentStatus.Held));
        var spam = await app.StoreAsync(Scored(thread, CommentStatus.Spam, 0.97));
        var auto = await app.StoreAsync(Scored(thread, CommentStatus.Approved, 0.1));
        var old = await app.StoreAsync(Scored(thread, CommentStatus.Approved, 0.1, at: DateTime.UtcNow.AddDays(-3)));
        var reported = Scored(thread, CommentStatus.Approved, 0.2);
        reported.ReportCount = 2;
        await app.StoreAsync(reported);
        var decided = Scored(thread, CommentStatus.Approved, 0.3);
        decided.DecidedBy = "someone";
        await app.StoreAsync(decided);

        Assert.Equal([held.Id], Ids(await _staff.GetJsonAsync(Queue("held", thread))));
        Assert.Equal([spam.Id], Ids(await _staff.GetJsonAsync(Queue("spam", thread))));
        Assert.Equal([reported.Id], Ids(await _staff.GetJsonAsync(Queue("reported", thread))));
        // Approved: what the scorer published on its own in the last day (a person's approval is no spot check).
        Assert.Equal(new[] { auto.Id, reported.Id }.ToHashSet(), Ids(await _staff.GetJsonAsync(Queue("approved", thread))).ToHashSet());
        Assert.DoesNotContain(old.Id, Ids(await _staff.GetJsonAsync(Queue("approved", thread))));

        var after = await _staff.GetJsonAsync($"/api/v1/moderation/counts?siteId={StandaloneApp.Site}");
        Assert.Equal((int)before["held"]! + 1, (int)after["held"]!);
        Assert.Equal((int)before["spam"]! + 1, (int)after["spam"]!);
        Assert.Equal((int)before["reported"]! + 1, (int)after["reported"]!);
        Assert.Equal((int)before["approved"]! + 2, (int)after["approved"]!);
    }

    [Fact]
    public async Task Scoped_key_sees_only_its_sites_and_is_refused_another()
    {
        var thread = NewThread();
        var mine = await app.StoreAsync(Scored(thread, CommentStatus.Held, site: StandaloneApp.LimitedSite));
        var theirs = await app.StoreAsync(Scored(thread, CommentStatus.Held));
        var scoped = app.StaffClient(await app.CreateKeyAsync("moderator", StandaloneApp.LimitedSite));

        var listed = Ids(await scoped.GetJsonAsync($"/api/v1/moderation/queues/held?threadId={thread}"));
        var counts = await scoped.GetJsonAsync("/api/v1/moderation/counts");

        Assert.Equal([mine.Id], listed);
        Assert.True((int)counts["held"]! >= 1);
        await AssertProblemAsync(await scoped.GetAsync($"/api/v1/moderation/queues/held?siteId={StandaloneApp.Site}"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.GetAsync($"/api/v1/moderation/counts?siteId={StandaloneApp.Site}"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.GetAsync($"/api/v1/moderation/comments/{theirs.Id}"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/v1/moderation/comments/{mine.Id}")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/moderation/queues/pending", "queue")]
    [InlineData("/api/v1/moderation/queues/1", "queue")]
    [InlineData("/api/v1/moderation/queues/held?siteId=no-such-site", "siteId")]
    [InlineData("/api/v1/moderation/queues/held?minScore=abc", "minScore")]
    [InlineData("/api/v1/moderation/queues/held?minScore=1.5", "minScore")]
    [InlineData("/api/v1/moderation/queues/held?maxScore=-0.1", "maxScore")]
    [InlineData("/api/v1/moderation/queues/held?minScore=0.8&maxScore=0.2", "minScore")]
    [InlineData("/api/v1/moderation/queues/held?from=yesterday", "from")]
    [InlineData("/api/v1/moderation/queues/held?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from")]
    [InlineData("/api/v1/moderation/queues/held?sort=random", "sort")]
    [InlineData("/api/v1/moderation/queues/held?limit=0", "limit")]
    [InlineData("/api/v1/moderation/queues/held?limit=101", "limit")]
    [InlineData("/api/v1/moderation/queues/held?limit=ten", "limit")]
    [InlineData("/api/v1/moderation/queues/held?cursor=garbage!", "cursor")]
    [InlineData("/api/v1/moderation/queues/held?cursor=CQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    [InlineData("/api/v1/moderation/counts?siteId=no-such-site", "siteId")]
    public async Task Bad_queue_request_is_a_problem_naming_the_parameter(string url, string field) =>
        await AssertProblemAsync(await _staff.GetAsync(url), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Cursor_of_one_sort_is_refused_by_another()
    {
        var thread = NewThread();
        await app.StoreAsync(Enumerable.Range(0, 3).Select(_ => Scored(thread, CommentStatus.Held)));
        var cursor = (string)(await _staff.GetJsonAsync(Queue("held", thread, "&limit=1")))["nextCursor"]!;

        await AssertProblemAsync(await _staff.GetAsync(Queue("held", thread, $"&sort=score&cursor={Uri.EscapeDataString(cursor)}")), HttpStatusCode.BadRequest, "cursor");
    }

    [Fact]
    public async Task Detail_shows_private_fields_history_by_email_and_ip_reports_and_parent()
    {
        var thread = NewThread();
        var email = $"history-{Guid.NewGuid():N}@example.com";
        var ip = $"198.51.100.{Random.Shared.Next(1, 250)}";
        var parent = await app.StoreAsync(Scored(thread, CommentStatus.Approved, email: "parent@example.com", ip: "192.0.2.1"));
        await app.StoreAsync([
            Scored(NewThread(), CommentStatus.Approved, email: email, ip: "192.0.2.2"),
            Scored(NewThread(), CommentStatus.Approved, email: email, ip: "192.0.2.2"),
            Scored(NewThread(), CommentStatus.Spam, email: email, ip: ip),
            Scored(NewThread(), CommentStatus.Rejected, email: $"other-{Guid.NewGuid():N}@example.com", ip: ip),
        ]);
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Held, email: email, ip: ip, parentId: parent.Id));

        var detail = await _staff.GetJsonAsync($"/api/v1/moderation/comments/{comment.Id}");

        Assert.Equal(email, (string?)detail["authorEmail"]);
        Assert.Equal(ip, (string?)detail["clientIp"]);
        Assert.Equal("Probe/1.0", (string?)detail["userAgent"]);
        Assert.Equal(0.5, (double?)detail["approveBelowUsed"]);
        Assert.Equal(0.9, (double?)detail["rejectAboveUsed"]);
        Assert.Equal("held", (string?)detail["status"]);
        Assert.Equal(comment.Id.ToString(), (string?)detail["id"]);
        Assert.Equal(parent.Id.ToString(), (string?)detail["parent"]!["id"]);
        Assert.Equal(2, (int?)detail["history"]!["byEmail"]!["approved"]);
        Assert.Equal(1, (int?)detail["history"]!["byEmail"]!["spam"]);
        Assert.Equal(0, (int?)detail["history"]!["byEmail"]!["rejected"]);
        Assert.Equal(1, (int?)detail["history"]!["byIp"]!["spam"]);
        Assert.Equal(1, (int?)detail["history"]!["byIp"]!["rejected"]);
        Assert.Equal(0, (int?)detail["history"]!["byIp"]!["approved"]);
        Assert.Empty(detail["reports"]!.AsArray());
        Assert.Null(detail["parent"]!["authorEmail"]);
    }

    [Fact]
    public async Task Detail_of_an_unknown_comment_is_404() =>
        await AssertProblemAsync(await _staff.GetAsync($"/api/v1/moderation/comments/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
}
