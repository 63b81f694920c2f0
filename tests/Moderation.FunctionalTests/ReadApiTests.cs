using System.Net;
using System.Text.Json.Nodes;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>The widget's reads: approved comments, oldest first, paged by cursor, with ETags.</summary>
public sealed class ReadApiTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly CommentsClient _api = new(app.CreateClient());

    [Theory]
    [InlineData("/api/v1/comments?threadId=t", "siteId")]
    [InlineData("/api/v1/comments?siteId=&threadId=t", "siteId")]
    [InlineData("/api/v1/comments?siteId=news", "threadId")]
    [InlineData("/api/v1/comments?siteId=news&threadId=%20", "threadId")]
    [InlineData("/api/v1/comments?siteId=no-such-site&threadId=t", "siteId")]
    [InlineData("/api/v1/comments?siteId=news&threadId=t&cursor=garbage", "cursor")]
    [InlineData("/api/v1/comments?siteId=news&threadId=t&cursor=not%20a%20cursor%20at%20all%2C%20not%20at%20all!", "cursor")]
    [InlineData("/api/v1/comments?siteId=news&threadId=t&cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%2A%2A", "cursor")]
    [InlineData("/api/v1/comments?siteId=news&threadId=t&limit=0", "limit")]
    [InlineData("/api/v1/comments?siteId=news&threadId=t&limit=-1", "limit")]
    [InlineData("/api/v1/comments?siteId=news&threadId=t&limit=1000", "limit")]
    [InlineData("/api/v1/comments?siteId=news&threadId=t&limit=abc", "limit")]
    [InlineData("/api/v1/counts?siteId=news", "threadId")]
    [InlineData("/api/v1/counts?siteId=news&threadId=", "threadId")]
    [InlineData("/api/v1/counts?threadId=t", "siteId")]
    [InlineData("/api/v1/counts?siteId=no-such-site&threadId=t", "siteId")]
    public async Task Bad_read_request_returns_problem_naming_the_parameter(string url, string field) =>
        await AssertProblemAsync(await _api.Http.GetAsync(url), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Get_without_site_and_thread_names_both()
    {
        var problem = await AssertProblemAsync(await _api.Http.GetAsync("/api/v1/comments"), HttpStatusCode.BadRequest, "siteId");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("threadId"));
    }

    [Fact]
    public async Task Counts_for_more_than_a_hundred_threads_is_refused()
    {
        var url = "/api/v1/counts?siteId=news" + string.Concat(Enumerable.Range(0, 101).Select(i => $"&threadId=t{i}"));

        await AssertProblemAsync(await _api.Http.GetAsync(url), HttpStatusCode.BadRequest, "threadId");
    }

    [Fact]
    public async Task Thread_without_comments_is_an_empty_page()
    {
        var page = (await _api.GetThreadAsync(NewThread())).Json!;

        Assert.Empty(CommentsOf(page));
        Assert.Equal(0, (int?)page["count"]);
        Assert.Null(page["nextCursor"]);
    }

    [Fact]
    public async Task Seven_comments_come_in_pages_of_three_three_and_one_oldest_first()
    {
        var thread = NewThread();
        var posted = new List<Submitted>();
        for (var i = 1; i <= 7; i++)
        {
            var body = Friendly(thread);
            body["body"] = $"Comment number {i} on the council budget, with a thought or two about the figures.";
            posted.Add(await _api.SubmitAsync(body));
        }
        foreach (var comment in posted)
            await _api.AssertBecomesAsync(comment, "approved");
        await _api.WaitForThreadAsync(thread, p => (int?)p["count"] == 7, "all seven to be counted");

        var pages = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = (await _api.GetThreadAsync(thread, cursor, limit: 3)).Json!;
            pages.Add(page);
            cursor = (string?)page["nextCursor"];
            Assert.True(pages.Count <= 3, "more pages than expected: the cursor does not advance");
        }
        while (cursor is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => CommentsOf(p).Count));
        Assert.All(pages, p => Assert.Equal(7, (int?)p["count"]));
        var listed = pages.SelectMany(IdsOf).ToList();
        Assert.Equal(posted.Select(c => c.Id), listed); // oldest first, none twice, none missing
        var times = pages.SelectMany(CommentsOf).Select(c => DateTime.Parse((string)c["createdAt"]!)).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task Unchanged_thread_answers_304_and_a_new_comment_changes_the_etag()
    {
        var thread = NewThread();
        var first = await _api.SubmitAsync(Friendly(thread));
        await _api.AssertBecomesAsync(first, "approved");
        await _api.WaitForThreadAsync(thread, p => IdsOf(p).Contains(first.Id), "the first comment to be listed");

        var before = await _api.GetThreadAsync(thread);
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.NotNull(before.ETag);
        var again = await _api.GetThreadAsync(thread, ifNoneMatch: before.ETag);
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        Assert.Empty(again.Text);
        Assert.Equal(before.ETag, again.ETag);

        var second = await _api.SubmitAsync(Friendly(thread));
        await _api.AssertBecomesAsync(second, "approved");

        // The read side follows a decision within a couple of seconds.
        var after = await Eventually.Until(
            () => _api.GetThreadAsync(thread, ifNoneMatch: before.ETag),
            r => r.Status == HttpStatusCode.OK,
            "the thread's ETag to change after a new approved comment",
            TimeSpan.FromSeconds(2));
        Assert.NotEqual(before.ETag, after.ETag);
        Assert.Equal([first.Id, second.Id], IdsOf(after.Json!));
    }
}
