using Microsoft.Extensions.Logging.Abstractions;
using Moderation.Spam;
using Moderation.Scoring.Scoring;
using Moderation.Scoring.Serving;

namespace Moderation.ScoringTests;

public class MlModelLoaderTests
{
    [Fact]
    public void A_fresh_install_serves_the_built_in_ml_model_loaded_once()
    {
        var loader = new MlModelLoader(NullLogger<MlModelLoader>.Instance);

        var first = Assert.IsType<MlScorer>(loader.LoadDefault());

        Assert.StartsWith("default-ml-", first.Model.Version);
        Assert.Same(first, loader.LoadDefault());
    }

    [Fact]
    public void The_heuristic_scores_only_when_the_built_in_model_cannot_be_loaded()
    {
        var loader = new MlModelLoader(NullLogger<MlModelLoader>.Instance, () => throw new SpamModelLoadException("damaged"));

        Assert.IsType<HeuristicScorer>(loader.LoadDefault());
    }
}
