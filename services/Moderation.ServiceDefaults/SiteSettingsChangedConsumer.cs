using MassTransit;
using Moderation.Contracts;
using Moderation.Data.Sites;

namespace Moderation.ServiceDefaults;

/// <summary>Every instance (its own temporary queue) reloads the sites as soon as one changes.</summary>
public sealed class SiteSettingsChangedConsumer(ISiteRegistry sites) : IConsumer<SiteSettingsChanged>
{
    public Task Consume(ConsumeContext<SiteSettingsChanged> context) => sites.ReloadAsync(context.CancellationToken);
}
