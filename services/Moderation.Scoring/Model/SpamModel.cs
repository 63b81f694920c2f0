using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace Moderation.Scoring.Model;

/// <summary>
/// A loaded spam model. Thread-safe: single comments go through pooled prediction engines (one engine
/// is not safe to share), batches through <see cref="ITransformer.Transform"/>.
/// </summary>
public sealed class SpamModel
{
    private const string DefaultResource = "Moderation.Scoring.Model.Default.spam-model.zip";

    private readonly MLContext _ml;
    private readonly ObjectPool<PredictionEngine<ModelRow, ModelPrediction>> _engines;
    private readonly SpamExplainer _explainer;

    private SpamModel(MLContext ml, ITransformer transformer, SpamModelMetadata metadata)
    {
        _ml = ml;
        Transformer = transformer;
        Metadata = metadata;
        _engines = new DefaultObjectPool<PredictionEngine<ModelRow, ModelPrediction>>(
            new EnginePolicy(ml, transformer), Environment.ProcessorCount * 2);
        _explainer = SpamExplainer.For(ml, transformer);
    }

    public SpamModelMetadata Metadata { get; }
    public string Version => Metadata.Version;

    /// <summary>The ML.NET pipeline itself, for callers that batch rows themselves (benchmarks, evaluation).</summary>
    public ITransformer Transformer { get; }

    /// <exception cref="SpamModelLoadException">The stream is not a model this build can use.</exception>
    public static SpamModel Load(Stream stream)
    {
        var ml = new MLContext(seed: 1);
        var (transformer, metadata) = SpamModelArtifact.Load(ml, stream);
        try
        {
            return new SpamModel(ml, transformer, metadata);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            throw new SpamModelLoadException($"Model {metadata.Version} does not fit this build's input: {ex.Message}", ex);
        }
    }

    /// <exception cref="SpamModelLoadException">The file is missing or is not a model this build can use.</exception>
    public static SpamModel Load(string path)
    {
        if (!File.Exists(path)) throw new SpamModelLoadException($"No model file at '{path}'.");
        using var file = File.OpenRead(path);
        return Load(file);
    }

    /// <summary>The model shipped with this build, trained from the seed corpus (see docs/scoring.md).</summary>
    public static SpamModel LoadDefault()
    {
        using var stream = typeof(SpamModel).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new SpamModelLoadException($"The build has no embedded {DefaultResource}.");
        return Load(stream);
    }

    public SpamScore Score(SpamModelInput input)
    {
        var row = CommentFeatures.Extract(input);
        var engine = _engines.Get();
        try
        {
            return Explain(input, row, engine.Predict(row));
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>Scores many comments in one pass of the pipeline; the order of the results is the order of the inputs.</summary>
    public IReadOnlyList<SpamScore> ScoreBatch(IReadOnlyList<SpamModelInput> inputs)
    {
        var rows = inputs.Select(i => CommentFeatures.Extract(i)).ToArray();
        var predictions = Predict(rows);
        return [.. predictions.Select((p, i) => Explain(inputs[i], rows[i], p))];
    }

    /// <summary>Probabilities only, through one <see cref="ITransformer.Transform"/> pass.</summary>
    public IEnumerable<ModelPrediction> Predict(IEnumerable<ModelRow> rows) =>
        _ml.Data.CreateEnumerable<ModelPrediction>(Transformer.Transform(_ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false);

    private SpamScore Explain(SpamModelInput input, ModelRow row, ModelPrediction prediction) =>
        new(prediction.Probability, Version, _explainer.Explain(input, row, prediction.FeatureContributions));

    private sealed class EnginePolicy(MLContext ml, ITransformer transformer) : PooledObjectPolicy<PredictionEngine<ModelRow, ModelPrediction>>
    {
        public override PredictionEngine<ModelRow, ModelPrediction> Create() =>
            ml.Model.CreatePredictionEngine<ModelRow, ModelPrediction>(transformer);

        public override bool Return([NotNull] PredictionEngine<ModelRow, ModelPrediction> obj) => true;
    }
}
