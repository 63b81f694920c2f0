using MassTransit;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moderation.Contracts;
using Moderation.Data;
using Moderation.Data.Comments;
using Moderation.Data.Sites;
using Moderation.Scoring;
using Moderation.ServiceDefaults;

namespace Moderation.UnitTests.Support;

/// <summary>
/// The scoring worker as its Program composes it (data, messaging with its retry policy, scoring), on a
/// SQLite file in a temporary folder, with MassTransit's test harness in place of the transport.
/// </summary>
internal sealed class ScoringHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly DirectoryInfo _folder;
    private readonly string _connectionString;

    private ScoringHost(IHost host, DirectoryInfo folder, string connectionString)
    {
        _host = host;
        _folder = folder;
        _connectionString = connectionString;
        Harness = host.Services.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>How often the scorer asked for the sites to be reloaded (it does once per attempt at an unknown site).</summary>
    public int SiteReloads => _host.Services.GetRequiredService<CountingSiteRegistry>().Reloads;

    public static async Task<ScoringHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("moderation-unit-");
        var connectionString = $"Data Source={Path.Combine(folder.FullName, "moderation.db")}";

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{DataExtensions.SqliteKey}"] = connectionString,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddModerationData(); // no Seed:Sites configured: the demo site is seeded
        builder.AddModerationMessaging(bus => bus.AddScoringConsumers(), allowInMemory: true);
        builder.AddScoring();
        builder.Services.AddSingleton<CountingSiteRegistry>();
        builder.Services.AddSingleton<ISiteRegistry>(sp => sp.GetRequiredService<CountingSiteRegistry>());
        builder.Services.AddMassTransitTestHarness(bus =>
            bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(1)));
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));

        var host = builder.Build();
        await host.StartAsync();
        return new ScoringHost(host, folder, connectionString);
    }

    /// <summary>Sends to the scoring queue, as ingestion does.</summary>
    public async Task SubmitAsync(CommentSubmitted submission)
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{QueueNames.Scoring}"));
        await endpoint.Send(submission);
    }

    /// <summary>Sends them to the scoring queue together, so that they arrive as one batch.</summary>
    public async Task SubmitAllAsync(params CommentSubmitted[] submissions)
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{QueueNames.Scoring}"));
        await endpoint.SendBatch(submissions);
    }

    /// <summary>Sends them to the scoring queue as one group, as ingestion does with submissions that arrive together.</summary>
    public async Task SubmitGroupAsync(params CommentSubmitted[] submissions)
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{QueueNames.Scoring}"));
        await endpoint.Send(new CommentsSubmitted(submissions));
    }

    public async Task<List<Comment>> StoredAsync(Guid commentId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        return await db.Comments.AsNoTracking().Where(c => c.Id == commentId).ToListAsync();
    }

    public async Task StoreAsync(Comment comment)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        db.Comments.Add(comment);
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; it is in the temp folder.
        }
    }
}

/// <summary>The real registry, counting the reloads asked of it.</summary>
internal sealed class CountingSiteRegistry(SiteRegistry inner) : ISiteRegistry
{
    private int _reloads;

    public int Reloads => Volatile.Read(ref _reloads);

    public Site? Find(string siteId) => inner.Find(siteId);

    public bool IsAllowedOriginForAnySite(string origin) => inner.IsAllowedOriginForAnySite(origin);

    public Task ReloadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reloads);
        return inner.ReloadAsync(cancellationToken);
    }
}
