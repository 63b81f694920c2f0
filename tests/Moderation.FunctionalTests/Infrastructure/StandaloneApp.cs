extern alias standalone;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data;
using Moderation.Data.Comments;

namespace Moderation.FunctionalTests.Infrastructure;

/// <summary>
/// The standalone host (in-memory transport, SQLite, in-process cache) on a SQLite file in its own
/// temporary folder, with its own sites. Settings go in with UseSetting so that they are in place before
/// Program reads them (the connection string is read while services are registered).
/// </summary>
public class StandaloneApp : WebApplicationFactory<standalone::Program>
{
    /// <summary>The site most tests post to: generous rate limit, one allowed origin, one held word.</summary>
    public const string Site = "news";

    /// <summary>A site that allows only <see cref="LimitedSitePerMinute"/> comments per minute from one address.</summary>
    public const string LimitedSite = "tiny";
    public const int LimitedSitePerMinute = 2;

    /// <summary>A site whose threads close <see cref="ClosingSiteDays"/> day after their first comment.</summary>
    public const string ClosingSite = "closing";
    public const int ClosingSiteDays = 1;

    public const string AllowedOrigin = "https://news.example";
    public const string LimitedSiteOrigin = "https://tiny.example";
    public const string ClosingSiteOrigin = "https://closing.example";

    /// <summary>The origin of a test site's pages (where its articles' URLs point).</summary>
    public static string OriginOf(string siteId) => siteId switch
    {
        LimitedSite => LimitedSiteOrigin,
        ClosingSite => ClosingSiteOrigin,
        _ => AllowedOrigin,
    };
    public const string HoldWord = "casino";
    public const string BlockWord = "buy followers";
    public const int MaxRequestBytes = 16 * 1024;

    /// <summary>The bootstrap admin key (<c>Auth:BootstrapAdminKey</c>).</summary>
    public const string AdminKey = "functional-tests-bootstrap-admin-key-0123456789";

    private readonly bool _ownsFolder;

    /// <summary>A host on a new folder of its own, deleted with it (what a class fixture gets).</summary>
    public StandaloneApp() : this(new TempFolder(), ownsFolder: true)
    {
    }

    private StandaloneApp(TempFolder folder, bool ownsFolder)
    {
        Folder = folder;
        _ownsFolder = ownsFolder;
    }

    /// <summary>A host on an existing folder (and the database in it), which the caller owns: a restart.</summary>
    public static StandaloneApp On(TempFolder folder) => new(folder, ownsFolder: false);

    public TempFolder Folder { get; }

    public string ConnectionString => ConnectionStringFor(Folder);

    public static string ConnectionStringFor(TempFolder folder) => $"Data Source={Path.Combine(folder.Path, "moderation.db")}";

    /// <summary>The database of a stopped host on <paramref name="folder"/>, to leave behind what a crash would.</summary>
    public static SqliteModerationDb OpenDatabase(TempFolder folder) =>
        new(new DbContextOptionsBuilder<SqliteModerationDb>().UseSqlite(ConnectionStringFor(folder)).Options);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string>
        {
            // The standalone host as a new user runs it: whatever servers the test command exported are not its.
            ["ConnectionStrings:postgres"] = "",
            ["ConnectionStrings:rabbitmq"] = "",
            ["ConnectionStrings:redis"] = "",
            ["ConnectionStrings:sqlite"] = ConnectionString,
            ["DataDirectory"] = Folder.Path,
            ["Ingestion:MaxRequestBytes"] = MaxRequestBytes.ToString(),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // The tests post many comments, often alike, as one reader: the flood and copy rules have tests of their own.
            ["Rules:FloodMaxComments"] = "10000",
            ["Rules:DuplicateMinLength"] = "1000",
            ["Auth:BootstrapAdminKey"] = AdminKey,

            ["Seed:Sites:0:Id"] = Site,
            ["Seed:Sites:0:Name"] = "The News",
            ["Seed:Sites:0:AllowedOrigins:0"] = AllowedOrigin,
            ["Seed:Sites:0:HoldWords:0"] = HoldWord,
            ["Seed:Sites:0:BlockWords:0"] = BlockWord,
            ["Seed:Sites:0:CommentsPerMinutePerIp"] = "1000",

            ["Seed:Sites:1:Id"] = LimitedSite,
            ["Seed:Sites:1:Name"] = "The Tiny Gazette",
            ["Seed:Sites:1:AllowedOrigins:0"] = LimitedSiteOrigin,
            ["Seed:Sites:1:CommentsPerMinutePerIp"] = LimitedSitePerMinute.ToString(),

            ["Seed:Sites:2:Id"] = ClosingSite,
            ["Seed:Sites:2:AllowedOrigins:0"] = ClosingSiteOrigin,
            ["Seed:Sites:2:CloseAfterDays"] = ClosingSiteDays.ToString(),
            ["Seed:Sites:2:CommentsPerMinutePerIp"] = "1000",
        };
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }

    /// <summary>A client that sends <paramref name="apiKey"/> in <c>X-Api-Key</c>.</summary>
    public HttpClient StaffClient(string apiKey = AdminKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>A client whose requests come from <paramref name="peer"/>, as over a real connection (the test server has no client address of its own).</summary>
    public HttpClient ClientFrom(string peer) =>
        new(Server.CreateHandler(http => http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(peer))) { BaseAddress = Server.BaseAddress };

    /// <summary>Creates an API key through the admin API and returns the key itself.</summary>
    public async Task<string> CreateKeyAsync(string role, params string[] sites)
    {
        var response = await StaffClient().PostAsJsonAsync("/api/v1/admin/keys", new { name = $"{role} {Guid.NewGuid():N}", role, sites });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>How many comments the host's database holds, whatever their status.</summary>
    public async Task<int> CountCommentsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModerationDb>().Comments.CountAsync();
    }

    /// <summary>Stores a comment directly, as if it had been posted and scored earlier.</summary>
    public async Task StoreCommentAsync(Comment comment)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        db.Comments.Add(comment);
        await db.SaveChangesAsync();
    }

    public async Task<Comment?> FindCommentAsync(Guid id)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModerationDb>().Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
        if (_ownsFolder) Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A folder under the system's temp folder, deleted (as far as possible) when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("moderation-functional-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Something still holds a file; the OS cleans its temp folder.
        }
    }
}
