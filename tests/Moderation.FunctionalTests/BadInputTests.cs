using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>
/// DESIGN.md, "Bad input": every bad request gets a clear 4xx problem response and changes nothing.
/// Each test counts the stored comments around the bad request (the tests of one class run one at a time).
/// </summary>
public sealed class BadInputTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly CommentsClient _api = new(app.CreateClient());

    /// <summary>Sends the request and asserts that no comment was stored because of it.</summary>
    private async Task<HttpResponseMessage> PostStoringNothingAsync(HttpContent content, string? origin = null)
    {
        var before = await app.CountCommentsAsync();
        var response = await _api.PostAsync(content, origin);
        Assert.Equal(before, await app.CountCommentsAsync());
        return response;
    }

    private Task<HttpResponseMessage> PostStoringNothingAsync(JsonObject body, string? origin = null) =>
        PostStoringNothingAsync(Json(body), origin);

    private static JsonObject Without(JsonObject body, string field)
    {
        body.Remove(field);
        return body;
    }

    private static JsonObject With(JsonObject body, string field, JsonNode? value)
    {
        body[field] = value;
        return body;
    }

    [Fact]
    public async Task Post_without_name_returns_problem_naming_authorName() =>
        await AssertProblemAsync(await PostStoringNothingAsync(Without(Friendly(NewThread()), "authorName")), HttpStatusCode.BadRequest, "authorName");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public async Task Post_with_blank_name_returns_problem_naming_authorName(string name) =>
        await AssertProblemAsync(await PostStoringNothingAsync(With(Friendly(NewThread()), "authorName", name)), HttpStatusCode.BadRequest, "authorName");

    [Fact]
    public async Task Post_with_null_name_returns_problem_naming_authorName() =>
        await AssertProblemAsync(await PostStoringNothingAsync(With(Friendly(NewThread()), "authorName", null)), HttpStatusCode.BadRequest, "authorName");

    [Fact]
    public async Task Post_without_email_returns_problem_naming_authorEmail() =>
        await AssertProblemAsync(await PostStoringNothingAsync(Without(Friendly(NewThread()), "authorEmail")), HttpStatusCode.BadRequest, "authorEmail");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Post_with_blank_email_returns_problem_naming_authorEmail(string email) =>
        await AssertProblemAsync(await PostStoringNothingAsync(With(Friendly(NewThread()), "authorEmail", email)), HttpStatusCode.BadRequest, "authorEmail");

    [Theory]
    [InlineData("a@b")]
    [InlineData("no-at")]
    [InlineData("a b@c.com")]
    [InlineData("<x@y.com>")]
    [InlineData("Name <x@y.com>")]
    public async Task Post_with_malformed_email_returns_problem_naming_authorEmail(string email) =>
        await AssertProblemAsync(await PostStoringNothingAsync(With(Friendly(NewThread()), "authorEmail", email)), HttpStatusCode.BadRequest, "authorEmail");

    [Theory]
    [InlineData("authorName", FieldLimits.AuthorName)]
    [InlineData("authorEmail", FieldLimits.AuthorEmail)]
    [InlineData("authorUrl", FieldLimits.Url)]
    [InlineData("threadUrl", FieldLimits.Url)]
    [InlineData("threadTitle", FieldLimits.ThreadTitle)]
    [InlineData("threadId", FieldLimits.ThreadId)]
    [InlineData("body", FieldLimits.Body)]
    public async Task Post_with_field_over_its_limit_returns_problem_naming_it(string field, int limit)
    {
        var value = field switch
        {
            "authorEmail" => new string('a', limit + 1 - "@example.com".Length) + "@example.com",
            "authorUrl" or "threadUrl" => "https://example.com/" + new string('a', limit + 1 - "https://example.com/".Length),
            _ => new string('x', limit + 1),
        };

        var response = await PostStoringNothingAsync(With(Friendly(NewThread()), field, value));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Contains($"at most {limit}", problem["errors"]![field]!.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t  ")]
    public async Task Post_with_empty_body_returns_problem_naming_body(string body) =>
        await AssertProblemAsync(await PostStoringNothingAsync(With(Friendly(NewThread()), "body", body)), HttpStatusCode.BadRequest, "body");

    [Theory]
    [InlineData("authorUrl", "javascript:alert(1)")]
    [InlineData("authorUrl", "data:text/html,<script>alert(1)</script>")]
    [InlineData("authorUrl", "ftp://ada.example/")]
    [InlineData("authorUrl", "/relative")]
    [InlineData("threadUrl", "javascript:alert(1)")]
    public async Task Post_with_url_that_is_not_http_returns_problem_naming_it(string field, string url) =>
        await AssertProblemAsync(await PostStoringNothingAsync(With(Friendly(NewThread()), field, url)), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Post_with_control_characters_in_the_name_returns_problem_naming_authorName() =>
        await AssertProblemAsync(await PostStoringNothingAsync(With(Friendly(NewThread()), "authorName", "Ada\u0000Reader")), HttpStatusCode.BadRequest, "authorName");

    [Fact]
    public async Task Post_for_unknown_site_returns_problem_naming_siteId() =>
        await AssertProblemAsync(await PostStoringNothingAsync(Friendly(NewThread(), siteId: "no-such-site")), HttpStatusCode.BadRequest, "siteId");

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://news.example")]      // right host, wrong scheme
    [InlineData("https://tiny.example")]     // allowed, but for another site
    public async Task Post_from_an_origin_the_site_does_not_allow_is_forbidden(string origin) =>
        await AssertProblemAsync(await PostStoringNothingAsync(Friendly(NewThread()), origin), HttpStatusCode.Forbidden);

    [Fact]
    public async Task Post_from_the_sites_own_origin_is_accepted()
    {
        var response = await _api.PostAsync(Friendly(NewThread()), StandaloneApp.AllowedOrigin);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(StandaloneApp.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Reply_to_an_unknown_parent_returns_problem_naming_parentId() =>
        await AssertProblemAsync(
            await PostStoringNothingAsync(With(Friendly(NewThread()), "parentId", Guid.NewGuid().ToString())),
            HttpStatusCode.BadRequest, "parentId");

    [Fact]
    public async Task Reply_to_a_parent_in_another_thread_returns_problem_naming_parentId()
    {
        var parent = await _api.SubmitAsync(Friendly(NewThread()));

        var response = await PostStoringNothingAsync(With(Friendly(NewThread()), "parentId", parent.Id.ToString()));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "parentId");
    }

    [Fact]
    public async Task Reply_to_a_held_comment_returns_problem_naming_parentId()
    {
        var thread = NewThread();
        var held = await _api.SubmitAsync(With(Friendly(thread), "body", $"Is the {StandaloneApp.HoldWord} reopening?"));
        await _api.AssertBecomesAsync(held, "awaitingModeration");

        var response = await PostStoringNothingAsync(With(Friendly(thread), "parentId", held.Id.ToString()));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "parentId");
        Assert.Contains("not published", problem["errors"]!["parentId"]!.ToJsonString());
    }

    [Fact]
    public async Task Post_to_a_closed_thread_returns_409_problem()
    {
        var thread = NewThread();
        await app.StoreCommentAsync(new Comment
        {
            Id = Guid.NewGuid(),
            SiteId = StandaloneApp.ClosingSite,
            ThreadId = thread,
            AuthorName = "Early Bird",
            AuthorEmail = "early@example.com",
            EmailHash = CommentMapping.HashEmail("early@example.com"),
            Body = "First!",
            SubmittedAt = DateTime.UtcNow.AddDays(-StandaloneApp.ClosingSiteDays).AddMinutes(-5),
            Status = CommentStatus.Approved,
        });

        var response = await PostStoringNothingAsync(Friendly(thread, siteId: StandaloneApp.ClosingSite));

        await AssertProblemAsync(response, HttpStatusCode.Conflict);
        // A thread of the same site that started recently still takes comments.
        await _api.SubmitAsync(Friendly(NewThread(), siteId: StandaloneApp.ClosingSite));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"siteId\": }")]
    [InlineData("{\"siteId\": \"news\",}")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    [InlineData("\"a string\"")]
    [InlineData("{\"siteId\": \"news\", \"elapsedMs\": \"soon\"}")]
    [InlineData("{\"siteId\": \"news\", \"parentId\": \"not-a-guid\"}")]
    public async Task Malformed_json_returns_400_problem(string text) =>
        await AssertProblemAsync(await PostStoringNothingAsync(Json(text)), HttpStatusCode.BadRequest);

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data")]
    public async Task Post_with_a_content_type_other_than_json_returns_415_problem(string mediaType)
    {
        var content = new StringContent(Friendly(NewThread()).ToJsonString(), Encoding.UTF8, mediaType);

        await AssertProblemAsync(await PostStoringNothingAsync(content), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_without_a_content_type_returns_415_problem()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Friendly(NewThread()).ToJsonString()));

        await AssertProblemAsync(await PostStoringNothingAsync(content), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_larger_than_the_request_limit_returns_413_problem()
    {
        // Valid JSON, but more bytes than Ingestion:MaxRequestBytes allows.
        var body = With(Friendly(NewThread()), "body", new string('x', StandaloneApp.MaxRequestBytes + 1));

        await AssertProblemAsync(await PostStoringNothingAsync(body), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Flood_from_one_address_gets_429_with_retry_after()
    {
        for (var i = 0; i < StandaloneApp.LimitedSitePerMinute; i++)
            await _api.SubmitAsync(Friendly(NewThread(), siteId: StandaloneApp.LimitedSite));

        var response = await PostStoringNothingAsync(Friendly(NewThread(), siteId: StandaloneApp.LimitedSite));

        await AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        // The limit is per site: the other site still takes comments from the same address.
        await _api.SubmitAsync(Friendly(NewThread()));
    }
}
