using MassTransit;
using Moderation.ReadApi.Caching;
using Moderation.ReadApi.Consumers;
using Moderation.ReadApi.Endpoints;
using Moderation.ReadApi.Threads;
using Moderation.ReadApi.Widget;
using Moderation.ServiceDefaults;

namespace Moderation.ReadApi;

public static class ReadApiExtensions
{
    /// <summary>The read side, cached in Redis when <c>ConnectionStrings:redis</c> is set, else in process memory.</summary>
    public static IHostApplicationBuilder AddReadApi(this IHostApplicationBuilder builder)
    {
        if (builder.AddModerationRedis())
            builder.Services.AddSingleton<IThreadCache, RedisThreadCache>();
        else
            builder.Services.AddSingleton<IThreadCache, MemoryThreadCache>();
        builder.Services.AddScoped<ThreadReader>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddReadApiConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ThreadCacheConsumer>().Endpoint(e => e.Name = QueueNames.ReadCache);
        return bus;
    }

    public static IEndpointRouteBuilder MapReadApi(this IEndpointRouteBuilder app) => app.MapThreadsApi().MapWidget();
}
