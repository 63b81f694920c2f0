using MassTransit;
using Microsoft.Extensions.Options;
using Moderation.ReadApi.Caching;
using Moderation.ReadApi.Consumers;
using Moderation.ReadApi.Endpoints;
using Moderation.ReadApi.Threads;
using Moderation.ReadApi.Widget;
using Moderation.ServiceDefaults;

namespace Moderation.ReadApi;

public static class ReadApiExtensions
{
    /// <summary>
    /// The read side, cached in Redis when <c>ConnectionStrings:redis</c> is set (with a moment of it in process memory,
    /// see <see cref="LocalThreadCache"/>), else in process memory.
    /// </summary>
    public static IHostApplicationBuilder AddReadApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ReadCacheOptions>(ReadCacheOptions.SectionName);
        if (builder.AddModerationRedis())
        {
            builder.Services.AddSingleton<RedisThreadCache>();
            builder.Services.AddSingleton<IThreadCache>(sp =>
            {
                var redis = sp.GetRequiredService<RedisThreadCache>();
                var local = sp.GetRequiredService<IOptions<ReadCacheOptions>>().Value.LocalMilliseconds;
                return local == 0 ? redis : new LocalThreadCache(redis, TimeSpan.FromMilliseconds(local));
            });
        }
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
