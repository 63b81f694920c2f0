using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace Moderation.Spam.Training;

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

    /// <summary>In an <see cref="SpamTrainer.Ensemble"/>, the linear model's and the trees' probabilities before averaging.</summary>
    public const string LinearProbability = "LinearProbability", TreeProbability = "TreeProbability";

    /// <summary>
    /// The most frequent n-grams kept of each kind: chosen on the leave-one-source-out worst source (more of them read
    /// better on unseen sources up to this many); keeping every one, most seen once or twice, read worse and added
    /// memory and load time. Hosts serve the compiled tables written into the model's file, so ML.NET's pipeline, which
    /// grows with the vocabulary, is not loaded to serve it.
    /// </summary>
    public const int WordNgramsKept = 20_000, CharNgramsKept = 20_000;

    /// <summary>The longest word and character n-grams (every shorter length is kept too).</summary>
    public const int WordNgramLength = 2, CharNgramLength = 4;

    /// <summary>
    /// The length of each n-gram block after normalising (L2). Above 1 the text counts for more against the form's
    /// fields (Website, e-mail, timing) under the same L2 penalty: chosen on the leave-one-source-out worst source,
    /// where readers who fill in their own website were sent to spam for the form alone (docs/scoring.md).
    /// </summary>
    public const float TextScale = 2;

    public static IEstimator<ITransformer> Featurize(MLContext ml) =>
        ml.Transforms.Text.TokenizeIntoWords("WordTokens", nameof(ModelRow.Words), [' '])
            .Append(ml.Transforms.Conversion.MapValueToKey("WordKeys", "WordTokens"))
            .Append(ml.Transforms.Text.ProduceNgrams(WordGrams, "WordKeys", ngramLength: WordNgramLength, useAllLengths: true, maximumNgramsCount: WordNgramsKept,
                weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Append(NormalizeText(ml, WordGrams))
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("CharKeys", nameof(ModelRow.Chars), useMarkerCharacters: true))
            .Append(ml.Transforms.Text.ProduceNgrams(CharGrams, "CharKeys", ngramLength: CharNgramLength, useAllLengths: true, maximumNgramsCount: CharNgramsKept,
                weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Append(NormalizeText(ml, CharGrams))
            .Append(ml.Transforms.NormalizeMinMax(MetaScaled, nameof(ModelRow.Meta)))
            .Append(ml.Transforms.Categorical.OneHotEncoding([
                new(nameof(ModelRow.AuthorUrlDomain)), new(nameof(ModelRow.AuthorUrlTld)),
                new(nameof(ModelRow.EmailDomain)), new(nameof(ModelRow.ElapsedBucket))]))
            .Append(ml.Transforms.Concatenate("Features", WordGrams, CharGrams, MetaScaled,
                nameof(ModelRow.AuthorUrlDomain), nameof(ModelRow.AuthorUrlTld), nameof(ModelRow.EmailDomain),
                nameof(ModelRow.ElapsedBucket)));

    // Global contrast without centring or unit variance is the L2 norm times a scale (LpNorm has no scale).
    private static IEstimator<ITransformer> NormalizeText(MLContext ml, string column) =>
        ml.Transforms.NormalizeGlobalContrast(column, ensureZeroMean: false, ensureUnitStandardDeviation: false, scale: TextScale);

    /// <summary>
    /// The learner. One thread each: with several, SDCA and LightGBM sum in a racy order and two runs
    /// on the same data differ in the last digits; the corpus is small enough for one core.
    /// Regularisation was chosen on the YouTube collection's cross-validation and leave-one-video-out figures
    /// (docs/scoring.md lists the settings tried), so those figures are somewhat optimistic for these settings.
    /// </summary>
    public static IEstimator<ITransformer> Learner(MLContext ml, SpamTrainer trainer) => trainer switch
    {
        SpamTrainer.Sdca => ml.BinaryClassification.Trainers.SdcaLogisticRegression(SdcaOptions()),
        SpamTrainer.LogisticRegression => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(LogisticRegressionOptions()),
        SpamTrainer.LightGbm => ml.BinaryClassification.Trainers.LightGbm(LightGbmOptions()),
        _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "An ensemble has no learner of its own: see Fit."),
    };

    private static SdcaLogisticRegressionBinaryTrainer.Options SdcaOptions() => new()
    {
        NumberOfThreads = 1,
        L2Regularization = 1e-5f,
        MaximumNumberOfIterations = 100,
    };

    // The same model as SDCA's, fitted to convergence: SDCA stops after its iterations, which left it less
    // regularised in effect; L-BFGS with a firmer L2 generalises better to unseen topics.
    private static LbfgsLogisticRegressionBinaryTrainer.Options LogisticRegressionOptions() => new()
    {
        NumberOfThreads = 1,
        L2Regularization = 1e-2f,
        L1Regularization = 0, // ML.NET's default of 1 zeroes most n-gram weights: worse figures, and reasons without words
    };

    // Smaller steps, larger leaves and half the features per tree: chosen on the leave-one-source-out worst source,
    // where trees fitted to the sources they saw were the ensemble's weaker half on one they did not.
    private static LightGbmBinaryTrainer.Options LightGbmOptions() => new()
    {
        FeatureColumnName = SelectedFeatures,
        NumberOfThreads = 1,
        Seed = 1,
        NumberOfIterations = 300,
        LearningRate = 0.05,
        NumberOfLeaves = 16,
        MinimumExampleCountPerLeaf = 20,
        Booster = new GradientBooster.Options { FeatureFraction = 0.5 },
    };

    /// <summary>
    /// Everything that shapes a model besides its data and seed: the featurisation and every setting of the learners
    /// (read from the very options objects <see cref="Learner"/> uses), so a changed setting gives a new model version.
    /// </summary>
    public static string Settings(SpamTrainer trainer)
    {
        var features = FormattableString.Invariant($"words1-{WordNgramLength} tfidf l2x{TextScale} top{WordNgramsKept}; chars1-{CharNgramLength} tfidf l2x{TextScale} top{CharNgramsKept}; meta{CommentFeatures.MetaCount} minmax; one-hot url/tld/email/elapsed");
        var gbm = LightGbmOptions();
        string trees = $"mi-slots={SlotsForTrees}; lightgbm {Describe(gbm)} booster {Describe(gbm.Booster)}";
        return trainer switch
        {
            SpamTrainer.Sdca => $"{features} | sdca {Describe(SdcaOptions())}",
            SpamTrainer.LogisticRegression => $"{features} | lbfgs {Describe(LogisticRegressionOptions())}",
            SpamTrainer.LightGbm => $"{features} | {trees}",
            SpamTrainer.Ensemble => $"{features} | lbfgs {Describe(LogisticRegressionOptions())} | {trees} | mean(l, t)",
            _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, null),
        };
    }

    /// <summary>The options' simple public fields, by name (ML.NET options are fields), e.g. "L2Regularization=0.003".</summary>
    private static string Describe(object options) => string.Join(' ', options.GetType()
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
        .Where(f => f.FieldType.IsPrimitive || f.FieldType.IsEnum || f.FieldType == typeof(string) || Nullable.GetUnderlyingType(f.FieldType) is { IsPrimitive: true })
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .Select(f => FormattableString.Invariant($"{f.Name}={f.GetValue(options)}")));

    /// <summary>The column of a model fitted for <paramref name="fitted"/> that holds <paramref name="read"/>'s probability.</summary>
    public static string ProbabilityColumn(SpamTrainer fitted, SpamTrainer read) => (fitted, read) switch
    {
        _ when fitted == read => "Probability",
        (SpamTrainer.Ensemble, SpamTrainer.LogisticRegression) => LinearProbability,
        (SpamTrainer.Ensemble, SpamTrainer.LightGbm) => TreeProbability,
        _ => throw new ArgumentException($"A {fitted} model holds no {read} probability.", nameof(read)),
    };

    /// <summary>Fits featurisation and learner, then appends the contribution calculator used for reasons.</summary>
    public static ITransformer Fit(MLContext ml, IDataView rows, SpamTrainer trainer)
    {
        var features = Featurize(ml).Fit(rows);
        // Learners pass over the data many times: cache the features, or every pass re-extracts the n-grams.
        var featurized = ml.Data.Cache(features.Transform(rows));
        switch (trainer)
        {
            case SpamTrainer.Sdca or SpamTrainer.LogisticRegression:
            {
                var (linear, contributions) = FitLinear(ml, featurized, trainer);
                return new TransformerChain<ITransformer>(features, linear, contributions);
            }
            case SpamTrainer.LightGbm:
            {
                var (selection, trees, selected) = FitTrees(ml, featurized);
                return new TransformerChain<ITransformer>(features, selection, trees, Contributions(ml, trees).Fit(trees.Transform(selected)));
            }
            case SpamTrainer.Ensemble:
            {
                // The linear model and its contributions first (they explain), its probability set aside; then the trees,
                // whose Score/Probability columns hide the linear ones; then Probability = the mean of the two. Every step is
                // a built-in ML.NET transform, so the saved model loads without registering code.
                var (linear, contributions) = FitLinear(ml, featurized, SpamTrainer.LogisticRegression);
                var keepLinear = ml.Transforms.CopyColumns(LinearProbability, "Probability").Fit(contributions.Transform(linear.Transform(featurized)));
                var (selection, trees, _) = FitTrees(ml, featurized);
                var chain = new TransformerChain<ITransformer>(features, linear, contributions, keepLinear, selection, trees);
                var average = ml.Transforms.CopyColumns(TreeProbability, "Probability")
                    .Append(ml.Transforms.Expression("Probability", "(l, t) => (l + t) / 2", LinearProbability, TreeProbability));
                return chain.Append(average.Fit(chain.Transform(rows)));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(trainer), trainer, null);
        }
    }

    private static (ITransformer Linear, ITransformer Contributions) FitLinear(MLContext ml, IDataView featurized, SpamTrainer trainer)
    {
        var linear = Learner(ml, trainer).Fit(featurized);
        return (linear, Contributions(ml, linear).Fit(linear.Transform(featurized)));
    }

    private static (ITransformer Selection, ITransformer Trees, IDataView Selected) FitTrees(MLContext ml, IDataView featurized)
    {
        var selection = ml.Transforms.FeatureSelection.SelectFeaturesBasedOnMutualInformation(SelectedFeatures, "Features", slotsInOutput: SlotsForTrees)
            .Fit(featurized);
        var selected = ml.Data.Cache(selection.Transform(featurized));
        return (selection, Learner(ml, SpamTrainer.LightGbm).Fit(selected), selected);
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

