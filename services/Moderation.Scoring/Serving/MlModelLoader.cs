using Moderation.Scoring.Model;
using Moderation.Scoring.Scoring;

namespace Moderation.Scoring.Serving;

/// <summary>
/// Promoted versions are ML.NET spam models (<see cref="SpamModel"/>). Until one is promoted the worker serves
/// the heuristic score: the model trained on the seed corpus alone is not yet calibrated to the sites'
/// thresholds (see docs/scoring.md), so it is something an admin promotes, not a silent default.
/// </summary>
public sealed class MlModelLoader : IModelLoader
{
    public ICommentScorer LoadDefault() => new HeuristicScorer();

    public ICommentScorer Load(string version, byte[] artifact)
    {
        using var stream = new MemoryStream(artifact, writable: false);
        return new MlScorer(SpamModel.Load(stream));
    }
}
