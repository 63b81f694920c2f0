namespace Moderation.Scoring.Retraining;

/// <summary>How far a retrain is (0 to 1) and what it is doing.</summary>
public readonly record struct TrainingProgress(double Fraction, string Message);

/// <summary>A retrained model, checked on held-out labels, not yet registered.</summary>
public sealed record RetrainedModel(string Version, string Trainer, byte[] Artifact, string MetricsJson);

/// <summary>Retrains the spam model from the moderators' labels. CPU-bound; run it off the request path.</summary>
public interface IModelRetrainer
{
    Task<RetrainedModel> RetrainAsync(IProgress<TrainingProgress> progress, CancellationToken cancellationToken);
}
