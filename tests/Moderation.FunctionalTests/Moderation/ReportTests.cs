using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;
using static Moderation.FunctionalTests.Infrastructure.Problems;
using static Moderation.FunctionalTests.Infrastructure.StaffData;

namespace Moderation.FunctionalTests.Moderation;

/// <summary>Readers report published comments: counted once per reader, in the reported queue, taken down at the site's threshold.</summary>
public sealed class ReportTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _staff = app.StaffClient();
    private readonly CommentsClient _reader = new(app.CreateClient());

    /// <summary>A report as sent from <paramref name="ip"/> (the test server has no client address of its own).</summary>
    private async Task<(HttpStatusCode Status, JsonObject? Body, string? RetryAfter)> ReportAsync(Guid id, string json, string ip = "192.0.2.10",
        string contentType = "application/json")
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = $"/api/v1/comments/{id}/reports";
            c.Request.ContentType = contentType;
            c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
            c.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        });
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.True(context.Response.StatusCode == 202 || context.Response.ContentType == "application/problem+json", $"{context.Response.StatusCode}: {text}");
        return ((HttpStatusCode)context.Response.StatusCode, text.Length > 0 ? JsonNode.Parse(text)!.AsObject() : null,
            context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task Reports_from_three_readers_take_the_comment_down_into_the_reported_queue()
    {
        var thread = NewThread();
        var comment = await app.StoreAsync(Scored(thread, CommentStatus.Approved, 0.2));
        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Contains(comment.Id), "the comment, cached by the read side");

        var first = await ReportAsync(comment.Id, """{"reason":"abuse"}""", "192.0.2.11");
        var repeated = await ReportAsync(comment.Id, """{"reason":"spam"}""", "192.0.2.11");
        var second = await ReportAsync(comment.Id, """{"reason":"abuse"}""", "192.0.2.12");
        Assert.Equal((HttpStatusCode.Accepted, 1), (first.Status, (int)first.Body!["reportCount"]!));
        Assert.Equal((HttpStatusCode.Accepted, 1), (repeated.Status, (int)repeated.Body!["reportCount"]!));
        Assert.Equal((HttpStatusCode.Accepted, 2), (second.Status, (int)second.Body!["reportCount"]!));
        Assert.Equal(CommentStatus.Approved, (await app.FindCommentAsync(comment.Id))!.Status);

        var queued = (await _staff.GetJsonAsync($"/api/v1/moderation/queues/reported?siteId={StandaloneApp.Site}&threadId={thread}"))["items"]![0]!;
        Assert.Equal(2, (int?)queued["reportCount"]);
        Assert.Equal(2, (int?)queued["reportReasons"]!["abuse"]);

        var third = await ReportAsync(comment.Id, """{"reason":"off-topic"}""", "192.0.2.13");
        Assert.Equal((HttpStatusCode.Accepted, 3), (third.Status, (int)third.Body!["reportCount"]!));
        var stored = (await app.FindCommentAsync(comment.Id))!;
        Assert.Equal(CommentStatus.Held, stored.Status);
        Assert.Equal(1, stored.Revision);
        await _reader.WaitForThreadAsync(thread, page => IdsOf(page).Count == 0, "the reported comment to leave the read side", TimeSpan.FromSeconds(1));

        var detail = await _staff.GetJsonAsync($"/api/v1/moderation/comments/{comment.Id}");
        Assert.Equal(3, detail["reports"]!.AsArray().Count);
        Assert.Equal(1, (int?)detail["reportReasons"]!["off-topic"]);
        Assert.Equal([comment.Id], Ids(await _staff.GetJsonAsync($"/api/v1/moderation/queues/reported?siteId={StandaloneApp.Site}&threadId={thread}")));
        Assert.Equal([comment.Id], Ids(await _staff.GetJsonAsync($"/api/v1/moderation/queues/held?siteId={StandaloneApp.Site}&threadId={thread}")));
        // Taken down: readers can no longer report it.
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(comment.Id, """{"reason":"abuse"}""", "192.0.2.14")).Status);
    }

    [Theory]
    [InlineData("""{"reason":"boring"}""", "reason")]
    [InlineData("""{}""", "reason")]
    [InlineData("""{"reason":"Spam"}""", "reason")]
    public async Task Report_with_a_bad_reason_is_a_problem_and_counts_nothing(string json, string field)
    {
        var comment = await app.StoreAsync(Scored(NewThread(), CommentStatus.Approved));

        var (status, body, _) = await ReportAsync(comment.Id, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body!["errors"]!.AsObject().ContainsKey(field));
        Assert.Equal(0, (await app.FindCommentAsync(comment.Id))!.ReportCount);
    }

    [Fact]
    public async Task Report_of_malformed_json_or_another_content_type_is_refused()
    {
        var comment = await app.StoreAsync(Scored(NewThread(), CommentStatus.Approved));

        Assert.Equal(HttpStatusCode.BadRequest, (await ReportAsync(comment.Id, "{\"reason\":")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ReportAsync(comment.Id, "reason=spam", contentType: "application/x-www-form-urlencoded")).Status);
        Assert.Equal(0, (await app.FindCommentAsync(comment.Id))!.ReportCount);
    }

    [Fact]
    public async Task Report_of_an_unknown_or_unpublished_comment_is_404()
    {
        var held = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held));

        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(Guid.NewGuid(), """{"reason":"spam"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(held.Id, """{"reason":"spam"}""")).Status);
        Assert.Equal(0, (await app.FindCommentAsync(held.Id))!.ReportCount);
    }

    [Fact]
    public async Task Reports_beyond_the_sites_per_minute_limit_get_429_with_retry_after()
    {
        var comments = await app.StoreAsync(Enumerable.Range(0, StandaloneApp.LimitedSitePerMinute + 1)
            .Select(_ => Scored(NewThread(), CommentStatus.Approved, site: StandaloneApp.LimitedSite)));

        foreach (var c in comments.Take(StandaloneApp.LimitedSitePerMinute))
            Assert.Equal(HttpStatusCode.Accepted, (await ReportAsync(c.Id, """{"reason":"spam"}""", "192.0.2.99")).Status);
        var limited = await ReportAsync(comments[^1].Id, """{"reason":"spam"}""", "192.0.2.99");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.False(string.IsNullOrEmpty(limited.RetryAfter));
        Assert.Equal(0, (await app.FindCommentAsync(comments[^1].Id))!.ReportCount);
    }
}
