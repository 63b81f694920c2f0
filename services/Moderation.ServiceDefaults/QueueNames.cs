namespace Moderation.ServiceDefaults;

/// <summary>Queues that one service sends to and another consumes from.</summary>
public static class QueueNames
{
    /// <summary>Submissions waiting to be scored. Ingestion sends straight to it, so a submission is
    /// kept by the broker even before any worker has ever started.</summary>
    public const string Scoring = "score-comments";

    /// <summary>Decision events that keep the read side's cache fresh.</summary>
    public const string ReadCache = "read-api-cache";

    /// <summary>Retraining jobs (<see cref="Moderation.Contracts.RetrainSpamModel"/>), run by the scoring workers one at a time.</summary>
    public const string Retraining = "retrain-spam-model";

    /// <summary>Commands the outbox sends to one queue, rather than publishes to whoever subscribes: the queue keeps
    /// them even while no worker runs.</summary>
    public static string? CommandQueue(Type message) => message == typeof(Moderation.Contracts.RetrainSpamModel) ? Retraining : null;
}
