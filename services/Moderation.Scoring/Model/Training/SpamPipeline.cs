using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace Moderation.Scoring.Model.Training;

/// <summary>The featurisation and learner, built the same way for training, cross-validation and evaluation.</summary>
public static class SpamPipeline
{
    /// <summary>How many contributions each way the saved model keeps per prediction, for reasons.</summary>
    public const int ContributionsKept = 24;

    /// <summary>Column names inside the pipeline, which name the slots the explanations read ("WordGrams.free|money").</summary>
    public const string WordGrams = "WordGrams", CharGrams = "CharGrams", MetaScaled = "MetaScaled";

    /// <summary>The column tree learners train on: the most informative slots of "Features".</summary>
    public const string SelectedFeatures = "SelectedFeatures";

    /// <summary>
    /// Tree learners take the slots with the most mutual information with the label: LightGBM over every
    /// one of ~100k n-gram slots is a minute a fold on two cores, and rare n-grams are no use to trees anyway.
    /// </summary>
    public const int SlotsForTrees = 4000;

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
            FeatureColumnName = SelectedFeatures,
            NumberOfThreads = 1,
            Seed = 1,
            NumberOfIterations = 150,
            LearningRate = 0.1,
            NumberOfLeaves = 16,
            MinimumExampleCountPerLeaf = 5,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, null),
    };

    /// <summary>Fits featurisation and learner, then appends the contribution calculator used for reasons.</summary>
    public static ITransformer Fit(MLContext ml, IDataView rows, SpamTrainer trainer)
    {
        var features = Featurize(ml).Fit(rows);
        // Learners pass over the data many times: cache the features, or every pass re-extracts the n-grams.
        var featurized = ml.Data.Cache(features.Transform(rows));
        if (trainer == SpamTrainer.Sdca)
        {
            var linear = Learner(ml, trainer).Fit(featurized);
            return new TransformerChain<ITransformer>(features, linear, Contributions(ml, linear).Fit(linear.Transform(featurized)));
        }
        var selection = ml.Transforms.FeatureSelection.SelectFeaturesBasedOnMutualInformation(SelectedFeatures, "Features", slotsInOutput: SlotsForTrees)
            .Fit(featurized);
        var selected = ml.Data.Cache(selection.Transform(featurized));
        var trees = Learner(ml, trainer).Fit(selected);
        return new TransformerChain<ITransformer>(features, selection, trees, Contributions(ml, trees).Fit(trees.Transform(selected)));
    }

    private static IEstimator<ITransformer> Contributions(MLContext ml, ITransformer predictor) => predictor switch
    {
        BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> linear =>
            ml.Transforms.CalculateFeatureContribution(linear, ContributionsKept, ContributionsKept, normalize: false),
        BinaryPredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> gbm =>
            ml.Transforms.CalculateFeatureContribution(gbm, ContributionsKept, ContributionsKept, normalize: false),
        _ => throw new NotSupportedException($"No contribution calculator for {predictor.GetType().Name}."),
    };
}
