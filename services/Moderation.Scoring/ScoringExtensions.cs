using MassTransit;
using Moderation.Scoring.Consumers;
using Moderation.Scoring.Scoring;
using Moderation.ServiceDefaults;

namespace Moderation.Scoring;

public static class ScoringExtensions
{
    public static IHostApplicationBuilder AddScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICommentScorer, RuleBasedScorer>();
        builder.Services.AddScoped<CommentScoringService>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddScoringConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CommentSubmittedConsumer>().Endpoint(e => e.Name = QueueNames.Scoring);
        return bus;
    }
}
