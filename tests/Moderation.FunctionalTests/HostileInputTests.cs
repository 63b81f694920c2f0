using System.Net;
using System.Text.Json.Nodes;
using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>
/// Submissions crafted to mislead the people who read them: names that reorder the text around them or show
/// nothing at all, links that hide where they lead, and articles on sites other than the one posted to.
/// </summary>
public sealed class HostileInputTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly CommentsClient _api = new(app.CreateClient());

    private async Task<JsonObject> RefusedAsync(string field, JsonNode? value)
    {
        var body = Friendly(NewThread());
        body[field] = value;
        var before = await app.CountCommentsAsync();

        var problem = await AssertProblemAsync(await _api.PostAsync(body), HttpStatusCode.BadRequest, field);

        Assert.Equal(before, await app.CountCommentsAsync());
        return problem;
    }

    private static string ErrorsOf(JsonObject problem, string field) => problem["errors"]![field]!.ToJsonString();

    [Theory]
    [InlineData("\u202A")] [InlineData("\u202B")] [InlineData("\u202C")] [InlineData("\u202D")] [InlineData("\u202E")]
    [InlineData("\u2066")] [InlineData("\u2067")] [InlineData("\u2068")] [InlineData("\u2069")]
    [InlineData("\u200E")] [InlineData("\u200F")] [InlineData("\u061C")]
    public async Task Name_with_a_bidirectional_control_is_refused(string control)
    {
        // "Ada" then, displayed reversed, "moc.lapyap": the name would read as a trusted address.
        var problem = await RefusedAsync("authorName", $"Ada {control}moc.lapyap");

        Assert.Contains("direction", ErrorsOf(problem, "authorName"));
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200C\u200D")]
    [InlineData("\u2060")]
    [InlineData("\uFEFF")]
    [InlineData("\u00AD")]
    [InlineData("\u180E")]
    [InlineData("\u200B \u00A0\u3000\u2060")]
    public async Task Name_of_nothing_but_invisible_characters_is_required(string name)
    {
        var problem = await RefusedAsync("authorName", name);

        Assert.Contains("Name is required.", ErrorsOf(problem, "authorName"));
    }

    [Fact]
    public async Task Body_keeps_its_bidirectional_characters()
    {
        var body = Friendly(NewThread());
        body["body"] = "The mayor said \u2067\u05E9\u05DC\u05D5\u05DD\u2069 to the visitors, which was kind.";

        var submitted = await _api.SubmitAsync(body);

        var stored = await Eventually.Until<Comment?>(() => app.FindCommentAsync(submitted.Id), c => c is not null, "the comment to be stored");
        Assert.Equal((string)body["body"]!, stored!.Body);
    }

    [Theory]
    [InlineData("authorUrl", "https://paypal.com@evil.example/")]
    [InlineData("authorUrl", "https://ada:secret@ada.example/blog")]
    [InlineData("authorUrl", "http://news.example%40evil.example@evil.example/")]
    [InlineData("threadUrl", "https://news.example@evil.example/story")]
    [InlineData("threadUrl", "https://reader@news.example/story")]
    public async Task Url_with_a_user_name_is_refused(string field, string url)
    {
        var problem = await RefusedAsync(field, url);

        Assert.Contains("user name", ErrorsOf(problem, field));
    }

    [Theory]
    [InlineData("https://evil.example/2026/11/story")]
    [InlineData("http://news.example/2026/11/story")]          // the site's host, another scheme
    [InlineData("https://news.example:8443/2026/11/story")]    // the site's host, another port
    [InlineData("https://news.example.evil.example/story")]
    [InlineData(StandaloneApp.LimitedSiteOrigin + "/story")]   // allowed, but for another site
    public async Task Thread_url_outside_the_sites_origins_is_refused(string url)
    {
        var problem = await RefusedAsync("threadUrl", url);

        Assert.Contains("origin", ErrorsOf(problem, "threadUrl"));
    }

    [Theory]
    [InlineData(StandaloneApp.AllowedOrigin + "/2026/11/story?ref=front#comments")]
    [InlineData("HTTPS://NEWS.EXAMPLE:443/2026/11/story")]
    public async Task Thread_url_on_the_sites_origin_is_accepted(string url)
    {
        var body = Friendly(NewThread());
        body["threadUrl"] = url;

        await _api.SubmitAsync(body);
    }
}
