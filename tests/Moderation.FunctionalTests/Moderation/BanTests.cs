using System.Net;
using Microsoft.EntityFrameworkCore;
using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;
using static Moderation.FunctionalTests.Infrastructure.Problems;
using static Moderation.FunctionalTests.Infrastructure.StaffData;

namespace Moderation.FunctionalTests.Moderation;

/// <summary>Bans by email or IP: created, listed, lifted, and honoured by the scorer for the next comment.</summary>
public sealed class BanTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private const string Bans = "/api/v1/moderation/bans";
    private readonly HttpClient _staff = app.StaffClient();
    private readonly CommentsClient _reader = new(app.CreateClient());

    [Fact]
    public async Task Banned_email_is_stored_as_its_hash_and_the_next_comment_goes_to_spam_until_lifted()
    {
        var email = $"Troll-{Guid.NewGuid():N}@Example.com";
        var ban = await (await _staff.PostJsonAsync(Bans, new { siteId = StandaloneApp.Site, kind = "email", value = email, reason = "abuse", days = 7 }))
            .OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal("email", (string?)ban["kind"]);
        Assert.Equal(CommentMapping.HashEmail(email), (string?)ban["value"]);
        Assert.Equal("bootstrap", (string?)ban["createdBy"]);
        Assert.True((DateTime)ban["expiresAt"]! > DateTime.UtcNow.AddDays(6));
        var listed = (await _staff.GetStringAsync($"{Bans}?siteId={StandaloneApp.Site}"));
        Assert.Contains((string)ban["id"]!, listed);
        Assert.DoesNotContain(email, listed, StringComparison.OrdinalIgnoreCase);

        var comment = Friendly(NewThread());
        comment["authorEmail"] = email.ToLowerInvariant();
        var submitted = await _reader.SubmitAsync(comment);
        await _reader.AssertBecomesAsync(submitted, "awaitingModeration");
        var stored = (await app.FindCommentAsync(submitted.Id))!;
        Assert.Equal(CommentStatus.Spam, stored.Status);
        Assert.Contains("banned email address", stored.Reasons);

        Assert.Equal(HttpStatusCode.OK, (await _staff.DeleteAsync($"{Bans}/{ban["id"]}")).StatusCode);
        Assert.DoesNotContain((string)ban["id"]!, await _staff.GetStringAsync(Bans));
        Assert.Equal(2, await app.QueryAsync(db => db.Audit.CountAsync(a => a.TargetType == "ban" && a.TargetId == (string)ban["id"]!)));
    }

    [Fact]
    public async Task Ban_by_comment_takes_that_comments_ip()
    {
        var comment = await app.StoreAsync(Scored(NewThread(), CommentStatus.Held, ip: "198.51.100.77"));

        var ban = await (await _staff.PostJsonAsync(Bans, new { siteId = StandaloneApp.Site, kind = "ip", commentId = comment.Id }))
            .OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal("ip", (string?)ban["kind"]);
        Assert.Equal("198.51.100.77", (string?)ban["value"]);
        Assert.Null(ban["expiresAt"]);
    }

    [Theory]
    [InlineData("""{"kind":"name","value":"x@example.com"}""", "kind")]
    [InlineData("""{"kind":"email"}""", "value")]
    [InlineData("""{"kind":"email","value":"not an address"}""", "value")]
    [InlineData("""{"kind":"ip","value":"300.1.1.1"}""", "value")]
    [InlineData("""{"kind":"ip","value":"192.0.2.1","commentId":"0195f3c4-0000-7000-8000-000000000000"}""", "value")]
    [InlineData("""{"kind":"ip","value":"192.0.2.1","days":0}""", "days")]
    [InlineData("""{"kind":"ip","value":"192.0.2.1","expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"kind":"ip","value":"192.0.2.1","expiresAt":"2099-01-01T00:00:00Z","days":3}""", "expiresAt")]
    [InlineData("""{"kind":"ip","value":"192.0.2.1","siteId":"no-such-site"}""", "siteId")]
    public async Task Bad_ban_is_a_problem_and_creates_nothing(string json, string field)
    {
        var before = await app.QueryAsync(db => db.Bans.CountAsync());

        await AssertProblemAsync(await _staff.PostRawAsync(Bans, json), HttpStatusCode.BadRequest, field);

        Assert.Equal(before, await app.QueryAsync(db => db.Bans.CountAsync()));
    }

    [Fact]
    public async Task Ban_of_an_unknown_comment_or_lifting_an_unknown_ban_is_404()
    {
        await AssertProblemAsync(await _staff.PostJsonAsync(Bans, new { kind = "email", commentId = Guid.NewGuid() }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _staff.DeleteAsync($"{Bans}/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Scoped_key_bans_on_its_site_only()
    {
        var scoped = app.StaffClient(await app.CreateKeyAsync("moderator", StandaloneApp.LimitedSite));
        var everywhere = await (await _staff.PostJsonAsync(Bans, new { kind = "ip", value = "192.0.2.200" })).OkJsonAsync(HttpStatusCode.Created);

        await AssertProblemAsync(await scoped.PostJsonAsync(Bans, new { kind = "ip", value = "192.0.2.201" }), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostJsonAsync(Bans, new { siteId = StandaloneApp.Site, kind = "ip", value = "192.0.2.201" }), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.DeleteAsync($"{Bans}/{everywhere["id"]}"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.GetAsync($"{Bans}?siteId={StandaloneApp.Site}"), HttpStatusCode.Forbidden);
        var mine = await (await scoped.PostJsonAsync(Bans, new { siteId = StandaloneApp.LimitedSite, kind = "ip", value = "192.0.2.202" })).OkJsonAsync(HttpStatusCode.Created);
        var listed = await scoped.GetStringAsync(Bans);
        Assert.Contains((string)mine["id"]!, listed);
        Assert.Contains((string)everywhere["id"]!, listed);
    }
}
