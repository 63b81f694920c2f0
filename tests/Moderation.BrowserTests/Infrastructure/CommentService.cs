extern alias standalone;

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data;
using Moderation.Data.Comments;

namespace Moderation.BrowserTests.Infrastructure;

/// <summary>
/// The standalone host (every service in one process) on a real loopback port, with its own SQLite file
/// and data directory, the demo site seeded to accept the pages the tests serve, and single sign-on
/// through <see cref="IdentityProvider"/>.
/// </summary>
public sealed class CommentService : WebApplicationFactory<standalone::Program>
{
    public const string SiteId = "demo";
    public const string HoldWord = "casino";
    /// <summary>The bootstrap admin key the console tests sign in with.</summary>
    public const string AdminKey = "browser-tests-admin-key-7d1f3c9a2b6e4d8f0a5c";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("moderation-browser-").FullName;
    private readonly IReadOnlyList<string> _allowedOrigins;
    private readonly string _ssoAuthority;

    public CommentService(IReadOnlyList<string> extraAllowedOrigins, string ssoAuthority)
    {
        Port = FreePort();
        _allowedOrigins = [Url, .. extraAllowedOrigins];
        _ssoAuthority = ssoAuthority;
        UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            // test.sh exports the distributed servers' connection strings: this host is the standalone one.
            ["ConnectionStrings:postgres"] = "",
            ["ConnectionStrings:rabbitmq"] = "",
            ["ConnectionStrings:redis"] = "",
            ["ConnectionStrings:sqlite"] = $"Data Source={Path.Combine(_dataDirectory, "moderation.db")}",
            ["DataDirectory"] = _dataDirectory,
            ["Seed:Sites:0:Id"] = SiteId,
            ["Seed:Sites:0:Name"] = "The Daily Demo",
            ["Seed:Sites:0:HoldWords:0"] = HoldWord,
            ["Seed:Sites:0:CommentsPerMinutePerIp"] = "100000",
            // The widget's tests post ordinary sentences that a robot types in seconds; they test the page, not where the
            // model's thresholds lie (docs/evaluation), so their site publishes below 0.5 rather than the default.
            ["Seed:Sites:0:ApproveBelow"] = "0.5",
            ["Auth:BootstrapAdminKey"] = AdminKey,
            ["Auth:Oidc:Authority"] = _ssoAuthority,
            ["Auth:Oidc:Audience"] = IdentityProvider.Audience,
            ["Auth:Oidc:ClientId"] = IdentityProvider.ClientId,
            ["Auth:Oidc:RequireHttpsMetadata"] = "false", // the provider is plain http on loopback
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // The tests seed many comments, often alike, as one reader: the flood and copy rules have tests of their own.
            ["Rules:FloodMaxComments"] = "10000",
            ["Rules:DuplicateMinLength"] = "1000",
            // The console's retrain test watches a real retrain (every learner, the whole corpus) to its end: two folds
            // for choosing the learner instead of five keep it to minutes on two shared cores.
            ["Models:Training:Folds"] = "2",
        };
        for (var i = 0; i < _allowedOrigins.Count; i++) settings[$"Seed:Sites:0:AllowedOrigins:{i}"] = _allowedOrigins[i];
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    /// <summary>
    /// Posts a comment the way a person would (not too fast) and waits until it is published: by the scorer, or by a
    /// moderator when the scorer held it (a reader who fills in the Website field may be held).
    /// </summary>
    public async Task<Guid> PublishAsync(string threadId, string authorName, string body, Guid? parentId = null, string? authorUrl = null)
    {
        using var http = CreateClient();
        var response = await http.PostAsJsonAsync("/api/v1/comments", new
        {
            siteId = SiteId, threadId, parentId, authorName, authorEmail = "reader@example.org", authorUrl, body, elapsedMs = 20_000,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<Accepted>())!;
        await ApproveAsync(accepted.Id);
        await WaitForStatusAsync(accepted.Id, CommentStatus.Approved);
        return accepted.Id;
    }

    /// <summary>Posts a comment with the site's hold word (added to <paramref name="body"/>) and waits until it is held.</summary>
    public async Task<Guid> HoldAsync(string threadId, string authorName, string body, string authorEmail = "reader@example.org")
    {
        using var http = CreateClient();
        var response = await http.PostAsJsonAsync("/api/v1/comments", new
        {
            siteId = SiteId, threadId, threadUrl = $"{Url}/articles/{threadId}", threadTitle = "Harbour ferry returns",
            authorName, authorEmail, body = $"{body} ({HoldWord})", elapsedMs = 20_000,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<Accepted>())!;
        await WaitForStatusAsync(accepted.Id, CommentStatus.Held);
        return accepted.Id;
    }

    /// <summary>Runs <paramref name="work"/> on a database context of this host.</summary>
    public async Task<T> WithDbAsync<T>(Func<ModerationDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ModerationDb>());
    }

    /// <summary>
    /// Writes a comment straight to the database, as the scorer would have stored it: for data that ingestion
    /// refuses today but may have stored before. Returns its id.
    /// </summary>
    public Task<Guid> StoreAsync(string threadId, string authorName, string body, CommentStatus status, Action<Comment>? configure = null) =>
        WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var comment = new Comment
            {
                Id = Guid.CreateVersion7(), SiteId = SiteId, ThreadId = threadId, AuthorName = authorName,
                AuthorEmail = "reader@example.org", EmailHash = CommentMapping.HashEmail("reader@example.org"), Body = body,
                SubmittedAt = now, ScoredAt = now, PublishedAt = status == CommentStatus.Approved ? now : null, Status = status,
                SpamScore = 0.5, ModelVersion = "test", ApproveBelowUsed = 0.4, RejectAboveUsed = 0.9,
            };
            configure?.Invoke(comment);
            db.Comments.Add(comment);
            await db.SaveChangesAsync();
            return comment.Id;
        });

    public Task WaitForStatusAsync(Guid commentId, CommentStatus status) =>
        WaitForStatusAsync(commentId, seen => seen == status, status.ToString());

    /// <summary>Polls the comment's stored status until <paramref name="done"/> holds (15 s at most) and returns it.</summary>
    private async Task<CommentStatus> WaitForStatusAsync(Guid commentId, Func<CommentStatus?, bool> done, string waitingFor)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        CommentStatus? seen;
        do
        {
            seen = await WithDbAsync(db => db.Comments.AsNoTracking().Where(c => c.Id == commentId).Select(c => (CommentStatus?)c.Status).FirstOrDefaultAsync());
            if (done(seen)) return seen!.Value;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Comment {commentId} is {seen?.ToString() ?? "not stored"}, not {waitingFor}, after 15 s.");
    }

    /// <summary>A client of the moderation API with the bootstrap admin key.</summary>
    public HttpClient StaffClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>Once scored, a moderator approves the comment through the moderation API if the scorer kept it back.</summary>
    public async Task ApproveAsync(Guid commentId)
    {
        var scored = await WaitForStatusAsync(commentId, seen => seen is not (null or CommentStatus.Pending), "scored");
        if (scored == CommentStatus.Approved) return; // published by the scorer: nothing for a moderator to do
        using var moderator = StaffClient();
        var response = await moderator.PostAsJsonAsync($"/api/v1/moderation/comments/{commentId}/decision", new { decision = "approve" });
        Assert.True(response.IsSuccessStatusCode, $"approve: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Accepted(Guid Id, string Status, string StatusUrl);
}
