using MassTransit;
using Moderation.Contracts;
using Moderation.Scoring.Retraining;

namespace Moderation.Scoring.Consumers;

/// <summary>
/// Runs a retraining job the admin API accepted. Its queue (<c>retrain-spam-model</c>) is consumed one message at a time,
/// prefetching none ahead, so a worker busy training never holds a second job another worker could run. The message
/// stays unacknowledged while the job runs (minutes at most, well inside RabbitMQ's 30-minute delivery acknowledgement
/// timeout); a worker that dies mid-job has it redelivered, and the job, no longer queued, is not run again (its row is
/// failed by <see cref="InterruptedTrainingJobs"/> once its heartbeat stops).
/// </summary>
public sealed class RetrainSpamModelConsumer(TrainingJobRunner runner) : IConsumer<RetrainSpamModel>
{
    public Task Consume(ConsumeContext<RetrainSpamModel> context) => runner.RunAsync(context.Message.JobId, context.CancellationToken);
}
