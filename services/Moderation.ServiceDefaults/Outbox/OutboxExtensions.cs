using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Moderation.ServiceDefaults.Outbox;

public static class OutboxExtensions
{
    /// <summary>
    /// The outbox's dispatcher, for every host that writes outbox rows; once per process however many modules
    /// ask (the standalone host composes several).
    /// </summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(OutboxDispatcher))) return services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }
}
