using System.Net;
using System.Text.Json.Nodes;
using Moderation.Data.Comments;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.CommentsClient;

namespace Moderation.FunctionalTests;

/// <summary>A reader posts through the widget; the comment is scored and shown, held, or filed as spam.</summary>
public sealed class SubmissionTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly CommentsClient _api = new(app.CreateClient());

    [Fact]
    public async Task Friendly_comment_is_accepted_then_approved_and_listed_without_private_data()
    {
        var thread = NewThread();
        var body = Friendly(thread);
        body["authorEmail"] = "ada.private@example.com";
        // No Website: a reader's own blog may be held at the default thresholds (docs/scoring.md); the markup test below
        // checks a Website is listed as sent.

        var comment = await _api.SubmitAsync(body, request =>
        {
            request.Headers.UserAgent.ParseAdd("PrivacyProbe/1.0");
            request.Headers.Referrer = new Uri("https://news.example/private-referrer");
        });
        await _api.AssertBecomesAsync(comment, "approved");

        var response = await Eventually.Until(
            () => _api.GetThreadAsync(thread), r => IdsOf(r.Json!).Contains(comment.Id), "the comment to be listed");
        var page = response.Json!;
        var listed = Assert.Single(CommentsOf(page));
        Assert.Equal(comment.Id, Guid.Parse((string)listed["id"]!));
        Assert.Equal("Ada Reader", (string?)listed["authorName"]);
        Assert.Null(listed["authorUrl"]);
        Assert.Equal(FriendlyBody, (string?)listed["body"]);
        Assert.Null(listed["parentId"]);
        Assert.Equal(1, (int?)page["count"]);
        Assert.Equal(StandaloneApp.Site, (string?)page["siteId"]);
        Assert.Equal(thread, (string?)page["threadId"]);
        Assert.Null(page["nextCursor"]);

        // Stored with what moderators need, served without it.
        var stored = await app.FindCommentAsync(comment.Id);
        Assert.Equal("ada.private@example.com", stored!.AuthorEmail);
        Assert.Equal("PrivacyProbe/1.0", stored.UserAgent);
        Assert.NotNull(stored.ClientIp);
        var names = PropertyNames(page).ToList();
        Assert.DoesNotContain(names, n => PrivateKeys.Contains(n, StringComparer.OrdinalIgnoreCase));
        Assert.DoesNotContain("ada.private@example.com", response.Text);
        Assert.DoesNotContain("PrivacyProbe", response.Text);
        Assert.DoesNotContain("private-referrer", response.Text);
        Assert.DoesNotContain(stored.EmailHash, response.Text);
    }

    [Fact]
    public async Task Accepted_comment_is_already_stored_when_the_202_arrives()
    {
        var comment = await _api.SubmitAsync(Friendly(NewThread()));

        var stored = await app.FindCommentAsync(comment.Id);

        Assert.NotNull(stored);
        Assert.Contains(stored.Status, new[] { CommentStatus.Pending, CommentStatus.Approved });
    }

    [Fact]
    public async Task Counts_endpoint_counts_approved_comments_per_thread()
    {
        var (busy, quiet, onlyHeld) = (NewThread(), NewThread(), NewThread());
        var first = await _api.SubmitAsync(Friendly(busy));
        var second = await _api.SubmitAsync(Friendly(busy));
        var held = Friendly(onlyHeld);
        held["body"] = $"Is the {StandaloneApp.HoldWord} on the harbour front really going ahead this year?";
        var heldComment = await _api.SubmitAsync(held);
        await _api.AssertBecomesAsync(first, "approved");
        await _api.AssertBecomesAsync(second, "approved");
        await _api.AssertBecomesAsync(heldComment, "awaitingModeration");

        var url = $"/api/v1/counts?siteId={StandaloneApp.Site}&threadId={Uri.EscapeDataString(busy)}" +
                  $"&threadId={Uri.EscapeDataString(quiet)}&threadId={Uri.EscapeDataString(onlyHeld)}";
        var counts = await Eventually.Until(
            async () => JsonNode.Parse(await _api.Http.GetStringAsync(url))!,
            json => (int?)json["counts"]?[busy] == 2,
            "the busy thread to count 2");

        Assert.Equal(StandaloneApp.Site, (string?)counts["siteId"]);
        Assert.Equal(0, (int?)counts["counts"]![quiet]);
        Assert.Equal(0, (int?)counts["counts"]![onlyHeld]);
        Assert.Equal(3, counts["counts"]!.AsObject().Count);
    }

    [Fact]
    public async Task Reply_is_listed_after_its_parent_with_the_parent_id()
    {
        var thread = NewThread();
        var parent = await _api.SubmitAsync(Friendly(thread));
        await _api.AssertBecomesAsync(parent, "approved");

        var replyBody = Friendly(thread);
        replyBody["parentId"] = parent.Id.ToString();
        replyBody["body"] = "Agreed, and the ward-by-ward breakdown is what the other papers left out.";
        var reply = await _api.SubmitAsync(replyBody);
        await _api.AssertBecomesAsync(reply, "approved");

        var page = await _api.WaitForThreadAsync(thread, p => IdsOf(p).Count == 2, "the reply to be listed");
        var comments = CommentsOf(page);
        Assert.Equal([parent.Id, reply.Id], IdsOf(page));
        Assert.Null(comments[0]["parentId"]);
        Assert.Equal(parent.Id, Guid.Parse((string)comments[1]["parentId"]!));
    }

    [Fact]
    public async Task Comment_with_a_held_word_awaits_moderation_and_is_not_listed()
    {
        var thread = NewThread();
        var held = Friendly(thread);
        held["body"] = $"Does anyone know whether the {StandaloneApp.HoldWord.ToUpperInvariant()} licence was renewed?";
        var heldComment = await _api.SubmitAsync(held);
        var approved = await _api.SubmitAsync(Friendly(thread));

        await _api.AssertBecomesAsync(heldComment, "awaitingModeration");
        await _api.AssertBecomesAsync(approved, "approved");

        // Once the approved one shows, the list is current: the held one is not in it.
        var page = await _api.WaitForThreadAsync(thread, p => IdsOf(p).Contains(approved.Id), "the approved comment to be listed");
        Assert.Equal([approved.Id], IdsOf(page));
        Assert.Equal(1, (int?)page["count"]);
        Assert.Equal(CommentStatus.Held, (await app.FindCommentAsync(heldComment.Id))!.Status);
    }

    [Fact]
    public async Task A_reply_addressing_only_unpublished_comments_awaits_moderation()
    {
        var thread = NewThread();
        var question = Friendly(thread);
        question["authorName"] = "Jack Morrow";
        question["body"] = $"Does anyone know a firm that did the {StandaloneApp.HoldWord} work for the council?";
        var held = await _api.SubmitAsync(question);
        var published = await _api.SubmitAsync(Friendly(thread));
        await _api.AssertBecomesAsync(held, "awaitingModeration");
        await _api.AssertBecomesAsync(published, "approved");

        var toHeld = Friendly(thread);
        toHeld["authorName"] = "Mike Ormerod";
        toHeld["body"] = "@Jack Morrow agreed, and the ward-by-ward breakdown is what the other papers left out.";
        var toPublished = Friendly(thread);
        toPublished["authorName"] = "Mike Ormerod";
        toPublished["body"] = "@Ada agreed, and the ward-by-ward breakdown is what the other papers left out.";
        var replyToHeld = await _api.SubmitAsync(toHeld);
        var replyToPublished = await _api.SubmitAsync(toPublished);

        await _api.AssertBecomesAsync(replyToHeld, "awaitingModeration");
        await _api.AssertBecomesAsync(replyToPublished, "approved");
        Assert.Contains("replies to @Jack Morrow, whose comments in this thread are not published", (await app.FindCommentAsync(replyToHeld.Id))!.Reasons);
    }

    [Theory]
    [InlineData("honeypot")]
    [InlineData("too fast")]
    [InlineData("block word")]
    [InlineData("block word split by a zero-width space")]
    [InlineData("block word in Cyrillic look-alike letters")]
    public async Task Spam_awaits_moderation_as_far_as_the_submitter_can_tell(string kind)
    {
        var thread = NewThread();
        var spam = Friendly(thread);
        switch (kind)
        {
            case "honeypot": spam["honeypot"] = "https://spam.example"; break;
            case "too fast": spam["elapsedMs"] = 800; break;
            case "block word": spam["body"] = $"Great article. Want to {StandaloneApp.BlockWord}? Message me."; break;
            case "block word split by a zero-width space": spam["body"] = "Great article. Want to buy fol\u200Blowers? Message me."; break;
            case "block word in Cyrillic look-alike letters": spam["body"] = "Great article. Want to buy f\u043Ell\u043Ew\u0435rs? Message me."; break;
        }
        var spamComment = await _api.SubmitAsync(spam);
        var approved = await _api.SubmitAsync(Friendly(thread));

        await _api.AssertBecomesAsync(spamComment, "awaitingModeration");
        await _api.AssertBecomesAsync(approved, "approved");

        var page = await _api.WaitForThreadAsync(thread, p => IdsOf(p).Contains(approved.Id), "the approved comment to be listed");
        Assert.Equal([approved.Id], IdsOf(page));
        Assert.Equal(CommentStatus.Spam, (await app.FindCommentAsync(spamComment.Id))!.Status);
    }

    [Fact]
    public async Task Status_without_the_right_token_is_not_found()
    {
        var mine = await _api.SubmitAsync(Friendly(NewThread()));
        var theirs = await _api.SubmitAsync(Friendly(NewThread()));
        var theirToken = theirs.StatusUrl[(theirs.StatusUrl.IndexOf("token=", StringComparison.Ordinal) + 6)..];

        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync(mine.StatusUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/api/v1/comments/{mine.Id}/status?token={theirToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/api/v1/comments/{mine.Id}/status?token=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/api/v1/comments/{mine.Id}/status")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/api/v1/comments/{Guid.NewGuid()}/status?token={theirToken}")).StatusCode);
    }

    [Fact]
    public async Task Html_and_script_in_every_field_are_stored_and_returned_verbatim()
    {
        var thread = "news/<script>alert('thread')</script>";
        var sent = new JsonObject
        {
            ["siteId"] = StandaloneApp.Site,
            ["threadId"] = thread,
            ["threadUrl"] = "https://news.example/story?x=<script>alert(1)</script>",
            ["threadTitle"] = "<h1 onclick=\"alert(1)\">Budget</h1>",
            ["authorName"] = "<img src=x onerror=alert(1)>",
            ["authorEmail"] = "ada@example.com",
            ["authorUrl"] = "https://ada.example/?q=\"><script>alert(2)</script>",
            ["body"] = "<script>alert(\"body\")</script><b>bold</b> &amp; &lt;already escaped&gt; <!-- comment --> ' \"",
            ["elapsedMs"] = 40_000,
        };

        var comment = await _api.SubmitAsync(sent);
        // Markup in every field reads as suspicious to the model: a moderator may have to let it through first.
        var decided = await Eventually.Until(() => _api.StatusAsync(comment.StatusUrl), s => s != "pending", "the comment to be decided");
        if (decided == "awaitingModeration")
            Assert.True((await app.StaffClient().DecideAsync(comment.Id, "approve")).IsSuccessStatusCode);
        await _api.AssertBecomesAsync(comment, "approved");

        var page = await _api.WaitForThreadAsync(thread, p => IdsOf(p).Contains(comment.Id), "the comment to be listed");
        var listed = Assert.Single(CommentsOf(page));
        Assert.Equal(thread, (string?)page["threadId"]);
        Assert.Equal((string?)sent["authorName"], (string?)listed["authorName"]);
        Assert.Equal((string?)sent["authorUrl"], (string?)listed["authorUrl"]);
        Assert.Equal((string?)sent["body"], (string?)listed["body"]);

        var stored = await app.FindCommentAsync(comment.Id);
        Assert.Equal(thread, stored!.ThreadId);
        Assert.Equal((string?)sent["threadUrl"], stored.ThreadUrl);
        Assert.Equal((string?)sent["threadTitle"], stored.ThreadTitle);
        Assert.Equal((string?)sent["authorName"], stored.AuthorName);
        Assert.Equal((string?)sent["authorUrl"], stored.AuthorUrl);
        Assert.Equal((string?)sent["body"], stored.Body);
    }

    private static readonly string[] PrivateKeys =
        ["authorEmail", "email", "emailHash", "clientIp", "ip", "ipAddress", "userAgent", "referrer", "referer", "language"];

    private static IEnumerable<string> PropertyNames(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => PropertyNames(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(PropertyNames),
        _ => [],
    };
}
