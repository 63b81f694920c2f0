using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moderation.Data;
using StackExchange.Redis;

namespace Moderation.ServiceDefaults;

public static class MessagingExtensions
{
    public const string RabbitMqKey = "rabbitmq";

    /// <summary>
    /// MassTransit over RabbitMQ (<c>ConnectionStrings:rabbitmq</c>, durable queues, persistent messages,
    /// publisher confirms) or, for the standalone host only, the in-memory transport.
    /// </summary>
    public static IHostApplicationBuilder AddModerationMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> addConsumers,
        bool allowInMemory = false)
    {
        var rabbitMq = builder.Configuration.GetConnectionString(RabbitMqKey);
        if (string.IsNullOrWhiteSpace(rabbitMq) && !allowInMemory)
            throw new InvalidOperationException($"ConnectionStrings:{RabbitMqKey} is required (an amqp:// URI of the RabbitMQ broker).");
        var quorumQueues = builder.Configuration.GetValue<bool>("Messaging:QuorumQueues");

        // A bus whose broker connection hangs must not hold the process forever at stop: after this, the host exits
        // anyway, and whatever it had not acknowledged is delivered again by the broker.
        builder.Services.Configure<MassTransitHostOptions>(options => options.StopTimeout ??= TimeSpan.FromSeconds(30));
        builder.Services.AddMassTransit(bus =>
        {
            addConsumers(bus);
            bus.AddConsumer<SiteSettingsChangedConsumer>().Endpoint(e => e.ForEveryInstance());
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                // An outage (database, cache) is waited out with the message held; anything else is
                // retried briefly and then moved to the endpoint's _error queue with its exception.
                endpoint.UseMessageRetry(r =>
                {
                    r.Handle<Exception>(IsOutage);
                    r.Exponential(int.MaxValue, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500));
                });
                endpoint.UseMessageRetry(r =>
                {
                    r.Ignore<Exception>(IsOutage);
                    r.Intervals(50, 250, 1000);
                });
                if (quorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    rabbit.SetQuorumQueue();
            });

            if (!string.IsNullOrWhiteSpace(rabbitMq))
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(rabbitMq), host => host.PublisherConfirmation = true);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        return builder;
    }

    /// <summary>
    /// The shared Redis connection (<c>ConnectionStrings:redis</c>), or null when none is configured.
    /// It never blocks start-up: a cache that is down is reconnected in the background.
    /// </summary>
    public static bool AddModerationRedis(this IHostApplicationBuilder builder)
    {
        var redis = builder.Configuration.GetConnectionString("redis");
        if (string.IsNullOrWhiteSpace(redis)) return false;
        if (builder.Services.Any(s => s.ServiceType == typeof(IConnectionMultiplexer))) return true; // several modules in one host

        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 1000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("cache", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return true;
    }

    /// <summary>
    /// A queue of this process's own (auto-deleted when it stops), for events that every instance must see,
    /// not just one of the competing consumers.
    /// </summary>
    public static void ForEveryInstance(this IEndpointRegistrationConfigurator endpoint)
    {
        endpoint.Temporary = true;
        // Unique per registration, not per process: several hosts may share one process (tests, standalone).
        endpoint.InstanceId = NewId.Next().ToString("N");
    }

    /// <summary>A database or cache outage: waited out with the message held, never a reason to fault it.</summary>
    public static bool IsOutage(Exception ex) =>
        TransientFailures.IsTransient(ex) || ex is RedisConnectionException or RedisTimeoutException;
}
