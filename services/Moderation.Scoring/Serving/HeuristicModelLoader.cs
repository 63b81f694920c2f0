using Moderation.Scoring.Scoring;

namespace Moderation.Scoring.Serving;

/// <summary>Serves the heuristic score: no trained model artifacts.</summary>
public sealed class HeuristicModelLoader : IModelLoader
{
    public ICommentScorer LoadDefault() => new HeuristicScorer();

    public ICommentScorer Load(string version, byte[] artifact) =>
        throw new NotSupportedException($"Model '{version}' cannot be loaded: this worker serves only the heuristic score.");
}
