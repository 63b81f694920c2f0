namespace Moderation.Contracts;

// The namespace is the message identity on the broker: never rename it. Only add fields;
// a breaking change is a new type.

/// <summary>
/// A command to the scoring workers: retrain the spam model from the moderators' labels and register the result.
/// The job's row (<c>training_jobs</c>) was written with it; the worker that takes it writes its progress there.
/// </summary>
public sealed record RetrainSpamModel(Guid JobId, string RequestedBy, DateTime RequestedAt);
