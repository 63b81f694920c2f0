using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderation.Scoring.Consumers;
using Moderation.Spam.Training;
using Moderation.Scoring.Retraining;
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
        builder.AddRetraining();
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

    /// <summary>
    /// The admin API's retraining jobs run here, where the model is served, not in the moderators' API: one at a time
    /// per worker (<see cref="RetrainSpamModelConsumer"/>), state and progress in the <c>training_jobs</c> table.
    /// </summary>
    private static void AddRetraining(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ModelTrainingOptions>(ModelTrainingOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<SpamModelRetrainer>();
        services.AddScoped<IModelRetrainer, LabelRetrainer>();
        services.AddSingleton<TrainingJobRunner>();
        // The in-memory transport (standalone) forgets queued commands on a crash: send them again at start-up.
        var inMemory = string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(MessagingExtensions.RabbitMqKey));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<InterruptedTrainingJobs>(sp, inMemory));
    }

    public static IBusRegistrationConfigurator AddScoringConsumers(this IBusRegistrationConfigurator bus)
    {
        // Ingestion sends groups; single submissions come from a comment split out of its group, and from older versions.
        bus.AddConsumer<CommentsSubmittedConsumer>(BatchedAsConfigured).Endpoint(e => e.Name = QueueNames.Scoring);
        bus.AddConsumer<CommentSubmittedConsumer>(BatchedAsConfigured).Endpoint(e => e.Name = QueueNames.Scoring);
        bus.AddConsumer<SpamModelPromotedConsumer>().Endpoint(e => e.ForEveryInstance());
        // One job at a time, none prefetched: a job takes minutes of CPU (see RetrainSpamModelConsumer).
        bus.AddConsumer<RetrainSpamModelConsumer>().Endpoint(e =>
        {
            e.Name = QueueNames.Retraining;
            e.PrefetchCount = 1;
            e.ConcurrentMessageLimit = 1;
        });
        return bus;
    }

    private static void BatchedAsConfigured<T>(IRegistrationContext context, IConsumerConfigurator<T> consumer) where T : class =>
        consumer.Options<BatchOptions>(context.GetRequiredService<IOptions<ScoringBatchOptions>>().Value.Apply);
}
