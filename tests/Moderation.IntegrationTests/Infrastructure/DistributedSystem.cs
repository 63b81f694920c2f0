using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Ingestion;
using Moderation.ModerationApi.Audit;
using Moderation.ReadApi.Threads;
using Moderation.Scoring.Scoring;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>
/// The distributed system for one test class: ingestion, scoring worker and read API, each its own host
/// from its own Program, on real RabbitMQ (a virtual host of its own), PostgreSQL (a database of its own)
/// and Redis. Each service reaches one server through a <see cref="TcpProxy"/>, so a test can take that
/// server away from it. Built with <c>onSockets</c>, every service listens on a loopback port and believes the
/// <c>X-Forwarded-For</c> of a proxy on loopback, as behind the gateway (<see cref="GatewaySystem"/>).
/// </summary>
public sealed class DistributedSystem : IAsyncLifetime
{
    private readonly bool _onSockets;

    public DistributedSystem() : this(onSockets: false) { }

    internal DistributedSystem(bool onSockets) => _onSockets = onSockets;

    public const string Origin = "https://news.example";
    public const string HoldWord = "casino";

    public string SiteId { get; } = $"it-{Guid.NewGuid():N}"[..16];
    public PostgresDatabase Database { get; private set; } = null!;
    public RabbitVirtualHost Broker { get; private set; } = null!;
    public TcpProxy BrokerForIngestion { get; private set; } = null!;
    public TcpProxy BrokerForModerationApi { get; private set; } = null!;
    public TcpProxy DatabaseForWorker { get; private set; } = null!;
    public TcpProxy CacheForReadApi { get; private set; } = null!;
    public ServiceHost<IngestionOptions> Ingestion { get; private set; } = null!;
    public ServiceHost<CommentScoringService>? Scoring { get; private set; }
    public ServiceHost<ThreadReader> ReadApi { get; private set; } = null!;
    public ServiceHost<AuditLog> ModerationApi { get; private set; } = null!;
    public HttpClient Writer { get; private set; } = null!;
    public HttpClient Reader { get; private set; } = null!;

    /// <summary>The moderation and admin APIs, as the bootstrap admin.</summary>
    public HttpClient Staff { get; private set; } = null!;
    public const string AdminKey = "integration-tests-bootstrap-admin-key-0123456789";

    public async Task InitializeAsync()
    {
        var (redisHost, redisPort) = Servers.RedisEndpoint;
        await Servers.RequireAsync("Redis", redisHost, redisPort);
        Database = await PostgresDatabase.CreateAsync();
        Broker = await RabbitVirtualHost.CreateAsync();
        var (pgHost, pgPort) = Servers.PostgresEndpoint;
        BrokerForIngestion = new TcpProxy(Servers.RabbitMq.Host, Servers.RabbitMq.Port);
        BrokerForModerationApi = new TcpProxy(Servers.RabbitMq.Host, Servers.RabbitMq.Port);
        DatabaseForWorker = new TcpProxy(pgHost, pgPort);
        CacheForReadApi = new TcpProxy(redisHost, redisPort);

        StartWorker();
        Ingestion = new ServiceHost<IngestionOptions>(Settings(Database.ConnectionString(), Broker.AmqpUri(BrokerForIngestion.Port), new()
        {
            ["Ingestion:StatusTokenSecret"] = new string('s', 40),
            ["Ingestion:AcceptTimeoutSeconds"] = "2",
        }), _onSockets);
        ReadApi = new ServiceHost<ThreadReader>(Settings(Database.ConnectionString(), Broker.AmqpUri(), new()
        {
            ["ConnectionStrings:redis"] = $"127.0.0.1:{CacheForReadApi.Port}",
        }), _onSockets);
        ModerationApi = new ServiceHost<AuditLog>(Settings(Database.ConnectionString(), Broker.AmqpUri(BrokerForModerationApi.Port), new()
        {
            ["Auth:BootstrapAdminKey"] = AdminKey,
        }), _onSockets);
        Writer = Ingestion.CreateClient();
        Reader = ReadApi.CreateClient();
        Staff = ModerationApi.CreateClient();
        Staff.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        await BusBoundAsync(Scoring!);
    }

    /// <summary>Starts (or restarts) the scoring worker.</summary>
    public void StartWorker() => Scoring = NewWorker(Database.ConnectionString(DatabaseForWorker.Port));

    /// <summary>Another worker process competing on the same queue, bound to its queues; for the caller to dispose.</summary>
    public async Task<ServiceHost<CommentScoringService>> StartExtraWorkerAsync()
    {
        var worker = NewWorker(Database.ConnectionString());
        await BusBoundAsync(worker);
        return worker;
    }

    /// <summary>
    /// A worker's host starts before its bus has bound the per-instance queue that hears fan-out events such as
    /// SiteSettingsChanged: one published sooner misses it (the durable scoring queue keeps its messages either way).
    /// </summary>
    private static Task BusBoundAsync(ServiceHost<CommentScoringService> worker)
    {
        var bus = worker.Services.GetRequiredService<IBusControl>();
        return Eventually.Until(() => bus.CheckHealth().Status, s => s == BusHealthStatus.Healthy, "a worker's bus bound to its queues",
            TimeSpan.FromSeconds(30));
    }

    private ServiceHost<CommentScoringService> NewWorker(string postgres)
    {
        var worker = new ServiceHost<CommentScoringService>(Settings(postgres, Broker.AmqpUri(), new()
        {
            ["ConnectionStrings:redis"] = Servers.Redis,
            // The workers run retraining: small enough for a test, one learner, two folds, the labels only.
            ["Models:Training:Trainers"] = "Sdca",
            ["Models:Training:Folds"] = "2",
            ["Models:Training:IncludeSeedCorpus"] = "false",
        }), _onSockets);
        _ = worker.Services; // builds and starts the host, and with it the consumers
        return worker;
    }

    public async Task StopWorkerAsync()
    {
        if (Scoring is not null) await Scoring.DisposeAsync();
        Scoring = null;
    }

    private Dictionary<string, string?> Settings(string postgres, Uri rabbitMq, Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = postgres,
            ["ConnectionStrings:rabbitmq"] = rabbitMq.ToString(),
            ["ConnectionStrings:redis"] = "",
            ["ConnectionStrings:sqlite"] = "",
            ["Seed:Sites:0:Id"] = SiteId,
            ["Seed:Sites:0:Name"] = "Integration Herald",
            ["Seed:Sites:0:AllowedOrigins:0"] = Origin,
            ["Seed:Sites:0:HoldWords:0"] = HoldWord,
            ["Seed:Sites:0:CommentsPerMinutePerIp"] = "100000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Every test posts as the same reader from the same address; flooding has tests of its own.
            ["Rules:FloodMaxComments"] = "10000",
            // Only the change events may refresh sites within a test, so that they are what is tested.
            ["Sites:RefreshSeconds"] = "3600",
        };
        if (_onSockets) settings["TrustedProxies:0"] = "127.0.0.1";
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    public object Comment(string body, string thread = "2026/11/integration", Guid? parentId = null, string authorEmail = "ada@example.org") => new
    {
        siteId = SiteId,
        threadId = thread,
        threadUrl = "https://news.example/" + thread,
        threadTitle = "An integration story",
        parentId,
        authorName = "Ada Reader",
        authorEmail,
        body,
    };

    public async Task<SubmitResult> SubmitAsync(object comment)
    {
        var response = await Writer.PostAsJsonAsync("/api/v1/comments", comment);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SubmitResult>())!;
    }

    public async Task<ThreadView> ThreadAsync(string thread = "2026/11/integration") =>
        (await Reader.GetFromJsonAsync<ThreadView>($"/api/v1/comments?siteId={SiteId}&threadId={Uri.EscapeDataString(thread)}&limit=200"))!;

    public async Task<string> StatusAsync(SubmitResult submitted) =>
        (await Writer.GetFromJsonAsync<StatusView>(submitted.StatusUrl))!.Status;

    public async Task DisposeAsync()
    {
        Writer?.Dispose();
        Reader?.Dispose();
        Staff?.Dispose();
        if (Ingestion is not null) await Ingestion.DisposeAsync();
        if (ModerationApi is not null) await ModerationApi.DisposeAsync();
        if (ReadApi is not null) await ReadApi.DisposeAsync();
        await StopWorkerAsync();
        foreach (var proxy in new[] { BrokerForIngestion, BrokerForModerationApi, DatabaseForWorker, CacheForReadApi })
            if (proxy is not null) await proxy.DisposeAsync();
        if (Broker is not null) await Broker.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}

public sealed record SubmitResult(Guid Id, string Status, string StatusUrl);

public sealed record StatusView(Guid Id, string Status);

public sealed record ThreadView(string SiteId, string ThreadId, int Count, List<CommentView> Comments, string? NextCursor);

public sealed record CommentView(Guid Id, Guid? ParentId, string AuthorName, string? AuthorUrl, string Body, DateTime CreatedAt);
