using Moderation.Ingestion;
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

    [Fact]
    public void Ingestion_without_a_status_token_secret_names_the_key()
    {
        using var host = new ServiceHost<IngestionOptions>(With(
            ("ConnectionStrings:postgres", "Host=127.0.0.1;Port=1"),
            ("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/")));
        var error = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains("Ingestion:StatusTokenSecret", Messages(error));
    }

    [Fact]
    public void Ingestion_with_a_short_status_token_secret_names_the_key()
    {
        using var host = new ServiceHost<IngestionOptions>(With(
            ("ConnectionStrings:postgres", "Host=127.0.0.1;Port=1"),
            ("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/"),
            ("Ingestion:StatusTokenSecret", "too-short")));
        var error = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains("Ingestion:StatusTokenSecret must be at least 32 characters", Messages(error));
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
