using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Reviews;
using Moderation.FunctionalTests.Infrastructure;
using static Moderation.FunctionalTests.Infrastructure.Problems;

namespace Moderation.FunctionalTests;

/// <summary>Export and erase everything stored for an email address.</summary>
public sealed class PrivacyApiTests(StandaloneApp app) : IClassFixture<StandaloneApp>
{
    private readonly HttpClient _admin = app.StaffClient();

    /// <summary>Two comments by the address (one published, one held and labelled spam, reported), a ban on it, one by someone else.</summary>
    private async Task<(string Email, Comment Published, Comment Held, Comment Other)> PersonWithDataAsync()
    {
        var email = $"Erase.Me.{Guid.NewGuid():N}@Example.org";
        var thread = $"privacy/{Guid.NewGuid():N}";
        var published = LabelledComments.Scored(StandaloneApp.Site, 0.1, 1, CommentStatus.Approved, email);
        var held = LabelledComments.Scored(StandaloneApp.Site, 0.7, 2, CommentStatus.Held, email.ToLowerInvariant());
        var other = LabelledComments.Scored(StandaloneApp.Site, 0.1, 3, CommentStatus.Approved);
        foreach (var c in new[] { published, held, other }) c.ThreadId = thread;
        await LabelledComments.StoreAsync(app.Services, [published, held, other], [null, LabelKind.Spam, LabelKind.Ham]);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        db.Bans.Add(new Ban { Id = Guid.NewGuid(), Kind = BanKind.Email, Value = CommentMapping.HashEmail(email), CreatedAt = DateTime.UtcNow, Reason = "spam" });
        db.Reports.Add(new Report { Id = Guid.NewGuid(), CommentId = published.Id, SiteId = StandaloneApp.Site, Reason = ReportReason.Abuse, ReporterHash = "r1", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return (email, published, held, other);
    }

    [Fact]
    public async Task Export_returns_every_comment_label_report_and_ban_for_the_address_in_any_casing()
    {
        var (email, published, held, other) = await PersonWithDataAsync();

        var response = await _admin.PostAsJsonAsync("/api/v1/admin/privacy/export", new { email = "  " + email.ToUpperInvariant() + " " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var ids = data["comments"]!.AsArray().Select(c => Guid.Parse((string)c!["id"]!)).ToHashSet();
        Assert.Equal(new[] { published.Id, held.Id }.Order(), ids.Order());
        Assert.DoesNotContain(other.Id, ids);
        Assert.Equal("198.51.100.1", (string?)data["comments"]![0]!["clientIp"]);
        Assert.Equal("spam", ((string?)Assert.Single(data["labels"]!.AsArray())!["kind"])?.ToLowerInvariant());
        Assert.Single(data["reports"]!.AsArray());
        Assert.Single(data["bans"]!.AsArray());
        var entry = (await _admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/audit?action=privacy.export&limit=1"))!["items"]![0]!;
        Assert.Equal(CommentMapping.HashEmail(email), (string?)entry["targetId"]);
        Assert.DoesNotContain(email.ToLowerInvariant(), entry.ToJsonString().ToLowerInvariant());
    }

    [Fact]
    public async Task Erase_deletes_comments_labels_reports_and_bans_unpublishes_and_audits_only_the_hash()
    {
        var (email, published, held, other) = await PersonWithDataAsync();
        var reader = app.CreateClient();
        var thread = Uri.EscapeDataString(published.ThreadId);
        await InvalidateAndAssertVisibleAsync(reader, thread, published.Id);

        var response = await _admin.PostAsJsonAsync("/api/v1/admin/privacy/erase", new { email });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var erased = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, (int)erased["comments"]!);
        Assert.Equal(1, (int)erased["labels"]!);
        Assert.Equal(1, (int)erased["reports"]!);
        Assert.Equal(1, (int)erased["bans"]!);
        Assert.Equal(1, (int)erased["unpublished"]!);
        Assert.Null(await app.FindCommentAsync(published.Id));
        Assert.Null(await app.FindCommentAsync(held.Id));
        Assert.NotNull(await app.FindCommentAsync(other.Id));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
            Assert.False(await db.Labels.AnyAsync(l => l.CommentId == held.Id));
            Assert.False(await db.Reports.AnyAsync(r => r.CommentId == published.Id));
            Assert.True(await db.Labels.AnyAsync(l => l.CommentId == other.Id));
        }
        await Eventually.Until(() => reader.GetStringAsync($"/api/v1/comments?siteId={StandaloneApp.Site}&threadId={thread}"),
            body => !body.Contains(published.Id.ToString()), "the erased comment to leave the read side");

        var entry = (await _admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/audit?action=privacy.erase&limit=1"))!["items"]![0]!;
        Assert.Equal(CommentMapping.HashEmail(email), (string?)entry["targetId"]);
        Assert.DoesNotContain(email.ToLowerInvariant(), (await _admin.GetStringAsync("/api/v1/admin/audit/export?format=ndjson")).ToLowerInvariant());

        var again = await _admin.PostAsJsonAsync("/api/v1/admin/privacy/export", new { email });
        Assert.Empty((await again.Content.ReadFromJsonAsync<JsonObject>())!["comments"]!.AsArray());
    }

    [Fact]
    public async Task Export_holds_nothing_about_other_readers()
    {
        var (email, published, _, _) = await PersonWithDataAsync();
        const string otherReader = "4b1d0c5e7f2a9b3c6d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
            db.Reports.Add(new Report { Id = Guid.NewGuid(), CommentId = published.Id, SiteId = StandaloneApp.Site, Reason = ReportReason.Spam, ReporterHash = otherReader, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var export = await (await _admin.PostAsJsonAsync("/api/v1/admin/privacy/export", new { email })).OkJsonAsync();

        Assert.Equal(2, export["reports"]!.AsArray().Count);
        Assert.All(export["reports"]!.AsArray(), r => Assert.Equal(published.Id.ToString(), (string?)r!["commentId"]));
        Assert.DoesNotContain(otherReader, export.ToJsonString());
        Assert.DoesNotContain("reporterHash", export.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Erase_leaves_nothing_readable_in_the_SQLite_file_or_its_write_ahead_log()
    {
        var marker = Guid.NewGuid().ToString("N");
        var email = $"gone.{marker}@example.org";
        var name = $"Vanishing Reader {marker[..12]}";
        var body = $"A comment that must not outlive its erasure, marked {marker}.";
        var comments = Enumerable.Range(0, 3).Select(n =>
        {
            var comment = LabelledComments.Scored(StandaloneApp.Site, 0.1, n, CommentStatus.Approved, email);
            comment.AuthorName = name;
            comment.Body = body;
            return comment;
        }).ToList();
        await LabelledComments.StoreAsync(app.Services, comments);
        Assert.True(DatabaseFilesContain(email), "the test's data should be on disk before the erase");

        var erased = await (await _admin.PostAsJsonAsync("/api/v1/admin/privacy/erase", new { email })).OkJsonAsync();

        Assert.Equal(3, (int)erased["comments"]!);
        foreach (var personal in new[] { email, name, body, marker })
            Assert.False(DatabaseFilesContain(personal), $"'{personal}' is still in the database files after the erase");
        Assert.Contains("SQLite", (string?)erased["storageNote"]);
    }

    /// <summary>Whether the SQLite database file or its write-ahead log holds <paramref name="text"/> (UTF-8), read beside the running host.</summary>
    private bool DatabaseFilesContain(string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        var database = Path.Combine(app.Folder.Path, "moderation.db");
        return new[] { database, database + "-wal" }.Where(File.Exists).Any(path =>
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var bytes = new MemoryStream();
            file.CopyTo(bytes);
            return bytes.GetBuffer().AsSpan(0, (int)bytes.Length).IndexOf(needle) >= 0;
        });
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"email":""}""")]
    [InlineData("""{"email":"not an address"}""")]
    public async Task Bad_email_is_400_and_erases_nothing(string json)
    {
        var before = await app.CountCommentsAsync();
        foreach (var route in new[] { "export", "erase" })
        {
            var response = await _admin.PostAsync($"/api/v1/admin/privacy/{route}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "email");
        }
        Assert.Equal(before, await app.CountCommentsAsync());
    }

    [Fact]
    public async Task Site_scoped_admin_may_not_export_or_erase()
    {
        var (email, published, _, _) = await PersonWithDataAsync();
        var scoped = app.StaffClient(await app.CreateKeyAsync("admin", StandaloneApp.Site));

        await AssertProblemAsync(await scoped.PostAsJsonAsync("/api/v1/admin/privacy/export", new { email }), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await scoped.PostAsJsonAsync("/api/v1/admin/privacy/erase", new { email }), HttpStatusCode.Forbidden);
        Assert.NotNull(await app.FindCommentAsync(published.Id));
    }

    /// <summary>The comment was stored behind the read cache's back: look until the read side lists it.</summary>
    private static async Task InvalidateAndAssertVisibleAsync(HttpClient reader, string thread, Guid id) =>
        await Eventually.Until(() => reader.GetStringAsync($"/api/v1/comments?siteId={StandaloneApp.Site}&threadId={thread}"),
            body => body.Contains(id.ToString()), "the published comment on the read side");
}
