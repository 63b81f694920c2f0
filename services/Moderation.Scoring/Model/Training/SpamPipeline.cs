using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace Moderation.Scoring.Model.Training;

/// <summary>The featurisation and learner, built the same way for training, cross-validation and evaluation.</summary>
public static class SpamPipeline
{
    /// <summary>How many contributions each way the saved model keeps per prediction, for reasons.</summary>
    public const int ContributionsKept = 24;

    // Column names inside the pipeline. "Features" is what the learner and the explanations read.
    private const string WordGrams = "WordGrams", CharGrams = "CharGrams", MetaScaled = "MetaScaled";

    public static IEstimator<ITransformer> Featurize(MLContext ml) =>
        ml.Transforms.Text.TokenizeIntoWords("WordTokens", nameof(ModelRow.Words), [' '])
            .Append(ml.Transforms.Conversion.MapValueToKey("WordKeys", "WordTokens"))
            .Append(ml.Transforms.Text.ProduceNgrams(WordGrams, "WordKeys", ngramLength: 2, useAllLengths: true,
                weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Append(ml.Transforms.NormalizeLpNorm(WordGrams))
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("CharKeys", nameof(ModelRow.Chars), useMarkerCharacters: true))
            .Append(ml.Transforms.Text.ProduceNgrams(CharGrams, "CharKeys", ngramLength: 4, useAllLengths: true,
                weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Append(ml.Transforms.NormalizeLpNorm(CharGrams))
            .Append(ml.Transforms.NormalizeMinMax(MetaScaled, nameof(ModelRow.Meta)))
            .Append(ml.Transforms.Categorical.OneHotEncoding([
                new(nameof(ModelRow.AuthorUrlDomain)), new(nameof(ModelRow.AuthorUrlTld)),
                new(nameof(ModelRow.EmailDomain)), new(nameof(ModelRow.ElapsedBucket))]))
            .Append(ml.Transforms.Concatenate("Features", WordGrams, CharGrams, MetaScaled,
                nameof(ModelRow.AuthorUrlDomain), nameof(ModelRow.AuthorUrlTld), nameof(ModelRow.EmailDomain),
                nameof(ModelRow.ElapsedBucket)));

    /// <summary>
    /// The learner. One thread each: with several, SDCA and LightGBM sum in a racy order and two runs
    /// on the same data differ in the last digits; the corpus is small enough for one core.
    /// </summary>
    public static IEstimator<ITransformer> Learner(MLContext ml, SpamTrainer trainer) => trainer switch
    {
        SpamTrainer.Sdca => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            L2Regularization = 1e-4f,
            MaximumNumberOfIterations = 100,
        }),
        SpamTrainer.LightGbm => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            Seed = 1,
            NumberOfIterations = 150,
            LearningRate = 0.1,
            NumberOfLeaves = 16,
            MinimumExampleCountPerLeaf = 5,
            // Each tree looks at half the n-gram columns: halves the time, and with the seed stays deterministic.
            Booster = new GradientBooster.Options { FeatureFraction = 0.5 },
        }),
        SpamTrainer.FastTree => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            Seed = 1,
            NumberOfTrees = 300,
            NumberOfLeaves = 16,
            MinimumExampleCountPerLeaf = 5,
            LearningRate = 0.1,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, null),
    };

    /// <summary>Fits featurisation and learner, then appends the contribution calculator used for reasons.</summary>
    public static ITransformer Fit(MLContext ml, IDataView rows, SpamTrainer trainer)
    {
        var features = Featurize(ml).Fit(rows);
        // Learners pass over the data many times: cache the features, or every pass re-extracts the n-grams.
        var featurized = ml.Data.Cache(features.Transform(rows));
        var predictor = Learner(ml, trainer).Fit(featurized);
        var scored = predictor.Transform(featurized);
        var contributions = Contributions(ml, predictor).Fit(scored);
        return new TransformerChain<ITransformer>(features, predictor, contributions);
    }

    private static IEstimator<ITransformer> Contributions(MLContext ml, ITransformer predictor) => predictor switch
    {
        BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> linear =>
            ml.Transforms.CalculateFeatureContribution(linear, ContributionsKept, ContributionsKept, normalize: false),
        BinaryPredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> gbm =>
            ml.Transforms.CalculateFeatureContribution(gbm, ContributionsKept, ContributionsKept, normalize: false),
        BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> tree =>
            ml.Transforms.CalculateFeatureContribution(tree, ContributionsKept, ContributionsKept, normalize: false),
        _ => throw new NotSupportedException($"No contribution calculator for {predictor.GetType().Name}."),
    };
}
