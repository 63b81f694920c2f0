using MassTransit;
using Moderation.Contracts;
using Moderation.Scoring.Serving;

namespace Moderation.Scoring.Consumers;

/// <summary>Every worker (its own temporary queue) loads a newly promoted model at once.</summary>
public sealed class SpamModelPromotedConsumer(ModelHolder models) : IConsumer<SpamModelPromoted>
{
    public Task Consume(ConsumeContext<SpamModelPromoted> context) => models.ReloadAsync(context.CancellationToken);
}
