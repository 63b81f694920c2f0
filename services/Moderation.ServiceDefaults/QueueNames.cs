namespace Moderation.ServiceDefaults;

/// <summary>Queues that one service sends to and another consumes from.</summary>
public static class QueueNames
{
    /// <summary>Submissions waiting to be scored. Ingestion sends straight to it, so a submission is
    /// kept by the broker even before any worker has ever started.</summary>
    public const string Scoring = "score-comments";

    /// <summary>Decision events that keep the read side's cache fresh.</summary>
    public const string ReadCache = "read-api-cache";
}
