using MassTransit;
using Microsoft.Extensions.Options;
using Moderation.Scoring.Consumers;
using Moderation.Spam.Training;
using Moderation.Scoring.Rules;
using Moderation.Scoring.Serving;
using Moderation.Scoring.Scoring;
using Moderation.ServiceDefaults;

using Moderation.Spam;

namespace Moderation.Scoring;

public static class ScoringExtensions
{
    public static IHostApplicationBuilder AddScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IModelLoader, MlModelLoader>();
        builder.Services.AddSingleton<ModelHolder>();
        builder.Services.AddSingleton<ICommentScorer>(sp => sp.GetRequiredService<ModelHolder>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelHolder>());
        builder.Services.AddScoped<ModelRegistry>();
        builder.Services.AddScoped<SpamModelRetrainer>();
        builder.Services.AddValidatedOptions<RuleOptions>(RuleOptions.SectionName);
        builder.Services.AddScoped<RuleEngine>();
        // Rule state is shared by every worker through Redis; the standalone host keeps it in memory.
        if (builder.AddModerationRedis())
            builder.Services.AddSingleton<IRuleState, RedisRuleState>();
        else
            builder.Services.AddSingleton<IRuleState, MemoryRuleState>();
        builder.Services.AddScoped<CommentScoringService>();
        builder.Services.AddValidatedOptions<ScoringBatchOptions>(ScoringBatchOptions.SectionName);
        return builder;
    }

    public static IBusRegistrationConfigurator AddScoringConsumers(this IBusRegistrationConfigurator bus)
    {
        // Ingestion sends groups; single submissions come from a comment split out of its group, and from older versions.
        bus.AddConsumer<CommentsSubmittedConsumer>(BatchedAsConfigured).Endpoint(e => e.Name = QueueNames.Scoring);
        bus.AddConsumer<CommentSubmittedConsumer>(BatchedAsConfigured).Endpoint(e => e.Name = QueueNames.Scoring);
        bus.AddConsumer<SpamModelPromotedConsumer>().Endpoint(e => e.ForEveryInstance());
        return bus;
    }

    private static void BatchedAsConfigured<T>(IRegistrationContext context, IConsumerConfigurator<T> consumer) where T : class =>
        consumer.Options<BatchOptions>(context.GetRequiredService<IOptions<ScoringBatchOptions>>().Value.Apply);
}
