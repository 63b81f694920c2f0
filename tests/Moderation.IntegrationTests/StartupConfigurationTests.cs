using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Moderation.Data;
using Moderation.Ingestion;
using Moderation.ServiceDefaults;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Scoring;

namespace Moderation.IntegrationTests;

/// <summary>A service with a bad configuration refuses to start, and says which key is wrong.</summary>
public sealed class StartupConfigurationTests
{
    private static readonly Dictionary<string, string?> NoServers = new()
    {
        ["ConnectionStrings:postgres"] = "",
        ["ConnectionStrings:sqlite"] = "",
        ["ConnectionStrings:rabbitmq"] = "",
        ["ConnectionStrings:redis"] = "",
    };

    [Fact]
    public void Worker_without_a_database_names_the_connection_string()
    {
        using var host = new ServiceHost<CommentScoringService>(With(("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/")));
        var error = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains("ConnectionStrings:postgres", Messages(error));
    }

    [Fact]
    public void Worker_without_a_broker_names_the_connection_string()
    {
        using var host = new ServiceHost<CommentScoringService>(With(("ConnectionStrings:postgres", "Host=127.0.0.1;Port=1")));
        var error = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains("ConnectionStrings:rabbitmq", Messages(error));
    }

    // Ingestion's own settings are checked when its host starts. Started here as its Program starts it, minus
    // the test server: when a minimal-hosting Program fails to start under WebApplicationFactory, the factory
    // may read the failed host's disposed services before it sees the start-up error, and reports that instead.
    [Fact]
    public async Task Ingestion_without_a_status_token_secret_names_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartIngestion());
        Assert.Contains("Ingestion:StatusTokenSecret", Messages(error));
    }

    [Fact]
    public async Task Ingestion_with_a_short_status_token_secret_names_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartIngestion(("Ingestion:StatusTokenSecret", "too-short")));
        Assert.Contains("Ingestion:StatusTokenSecret must be at least 32 characters", Messages(error));
    }

    private static async Task StartIngestion(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(With([
            ("ConnectionStrings:postgres", "Host=127.0.0.1;Port=1"),
            ("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/"),
            .. settings]));
        builder.AddServiceDefaults("ingestion");
        builder.AddModerationData();
        builder.AddModerationMessaging(_ => { });
        builder.AddIngestion();
        await using var app = builder.Build();
        await app.StartAsync();
        await app.StopAsync();
    }

    private static Dictionary<string, string?> With(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>(NoServers);
        foreach (var (key, value) in settings) all[key] = value;
        return all;
    }

    private static string Messages(Exception error)
    {
        var all = new List<string>();
        for (var e = error; e is not null; e = e.InnerException) all.Add(e.Message);
        if (error is AggregateException aggregate) all.AddRange(aggregate.InnerExceptions.Select(e => e.Message));
        return string.Join(" | ", all);
    }
}
