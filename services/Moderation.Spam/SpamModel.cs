using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Moderation.Spam;

/// <summary>
/// A loaded spam model. Thread-safe: single comments go through pooled prediction engines (one engine
/// is not safe to share), batches through <see cref="ITransformer.Transform"/>. A model explained by its linear
/// learner is scored without ML.NET's contribution calculator: <see cref="LinearContributions"/> does its work; and a
/// linear model or ensemble over the standard features is served by <see cref="CompiledModel"/> once it has matched
/// ML.NET on probe comments, ML.NET's pipeline then let go until asked for.
/// </summary>
public sealed class SpamModel
{
    private const string DefaultResource = "Moderation.Spam.Default.spam-model.zip";

    private readonly MLContext _ml;
    private readonly Func<Stream> _openFile;
    private readonly Lock _loading = new();
    private volatile MlNetPipeline? _pipeline;
    private readonly SpamExplainer _explainer;
    private readonly LinearContributions? _linear;
    private readonly SchemaDefinition _output;
    private readonly CompiledModel? _compiled;

    private SpamModel(MLContext ml, ITransformer transformer, SpamModelMetadata metadata, Func<Stream> openFile)
    {
        _ml = ml;
        _openFile = openFile;
        Metadata = metadata;
        _linear = LinearContributions.Split(transformer).Linear;
        // Read the features when the contributions are computed here, the calculator's column otherwise.
        _output = SchemaDefinition.Create(typeof(ModelPrediction));
        _output.Remove(_output[_linear is null ? nameof(ModelPrediction.Features) : nameof(ModelPrediction.FeatureContributions)]);
        _pipeline = new MlNetPipeline(ml, transformer, _output);
        _explainer = SpamExplainer.For(ml, transformer);
        _compiled = _linear is null ? null : Verified(CompiledModel.TryCompile(ml, _pipeline.Scoring));
        // Served compiled, the model needs ML.NET's pipeline only for ML.NET's own predictions (tests, benchmarks): let it
        // go, with each learner's cached names of every slot (a compiled ensemble held 24 MiB with it), until asked for.
        if (_compiled is not null) _pipeline = null;
    }

    /// <summary>ML.NET's pipeline, read again from the model's file when it was let go.</summary>
    private MlNetPipeline Pipeline
    {
        get
        {
            if (_pipeline is { } loaded) return loaded;
            lock (_loading)
            {
                if (_pipeline is { } reloaded) return reloaded;
                using var file = _openFile();
                return _pipeline = new MlNetPipeline(_ml, SpamModelArtifact.Load(_ml, file).Model, _output);
            }
        }
    }

    /// <summary>How the model is served: "compiled" (<see cref="CompiledModel"/>) or "ML.NET".</summary>
    public string Serving => _compiled is null ? "ML.NET" : "compiled";

    /// <summary>
    /// The compiled model if it predicts what ML.NET predicts for the probe comments, else null. One that fails on a
    /// probe is not served either: ML.NET can serve the model, so the load must not fail for the compiled path.
    /// </summary>
    private CompiledModel? Verified(CompiledModel? compiled)
    {
        if (compiled is null) return null;
        var rows = ProbeComments.Rows.Value;
        // One row object for every probe, each copied with its features' non-zeros only: ML.NET's feature vectors come
        // dense (every slot, large-object-heap sized), and a fresh one per probe put megabytes of garbage on the large
        // object heap, and into the process's peak resident memory, at every load.
        var expected = Predict(rows, reuseRowObject: true)
            .Select(p => new ModelPrediction { Score = p.Score, Probability = p.Probability, Features = NonZero(p.Features) })
            .ToList();
        try
        {
            return compiled.Differences(rows, expected).Count == 0 ? compiled : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    public SpamModelMetadata Metadata { get; }
    public string Version => Metadata.Version;

    /// <summary>The ML.NET pipeline as saved, with its contribution calculator.</summary>
    public ITransformer Transformer => Pipeline.Transformer;

    /// <exception cref="SpamModelLoadException">The stream is not a model this build can use.</exception>
    public static SpamModel Load(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        var file = copy.ToArray();
        return Load(() => new MemoryStream(file, writable: false));
    }

    /// <param name="openFile">Opens the model's file, now and whenever ML.NET's pipeline must be read again.</param>
    private static SpamModel Load(Func<Stream> openFile)
    {
        var ml = new MLContext(seed: 1);
        ITransformer transformer;
        SpamModelMetadata metadata;
        using (var file = openFile()) (transformer, metadata) = SpamModelArtifact.Load(ml, file);
        try
        {
            return new SpamModel(ml, transformer, metadata, openFile);
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
    /// <remarks>Read again from the assembly when needed, so the loaded model holds no copy of its file.</remarks>
    public static SpamModel LoadDefault() => Load(OpenDefaultFile);

    /// <summary>The file of the model shipped with this build, as embedded in the assembly.</summary>
    public static Stream OpenDefaultFile() => typeof(SpamModel).Assembly.GetManifestResourceStream(DefaultResource)
        ?? throw new SpamModelLoadException($"The build has no embedded {DefaultResource}.");

    public SpamScore Score(SpamModelInput input)
    {
        var row = CommentFeatures.Extract(input);
        var score = Explain(input, row, PredictOne(row));
        if (!FormAlone.NeedsSecondLook(input, score.Probability)) return score;
        var textAlone = PredictOne(CommentFeatures.Extract(FormAlone.WithoutForm(input))).Probability;
        return textAlone < FormAlone.TextSpamLike ? score with { Probability = FormAlone.Ceiling, FormAloneLowered = true } : score;
    }

    /// <summary>Scores many comments in one pass of the pipeline; the order of the results is the order of the inputs.</summary>
    public IReadOnlyList<SpamScore> ScoreBatch(IReadOnlyList<SpamModelInput> inputs)
    {
        var rows = inputs.Select(i => CommentFeatures.Extract(i)).ToArray();
        var predictions = (_compiled is null ? Predict(rows) : rows.Select(_compiled.Predict)).ToArray();
        var probabilities = predictions.Select(p => (double)p.Probability).ToArray();
        var lowered = FormAlone.Apply(inputs, probabilities, stripped =>
            [.. stripped.Select(i => (double)PredictOne(CommentFeatures.Extract(i)).Probability)]);
        return [.. predictions.Select((p, i) => lowered[i]
            ? Explain(inputs[i], rows[i], p) with { Probability = FormAlone.Ceiling, FormAloneLowered = true }
            : Explain(inputs[i], rows[i], p))];
    }

    private ModelPrediction PredictOne(ModelRow row)
    {
        if (_compiled is not null) return _compiled.Predict(row);
        var engines = Pipeline.Engines;
        var engine = engines.Get();
        try
        {
            return engine.Predict(row);
        }
        finally
        {
            engines.Return(engine);
        }
    }

    /// <summary>ML.NET's own predictions, through one <see cref="ITransformer.Transform"/> pass; the contributions are left to <see cref="ScoreBatch"/>.</summary>
    public IEnumerable<ModelPrediction> Predict(IEnumerable<ModelRow> rows) => Predict(rows, reuseRowObject: false);

    private IEnumerable<ModelPrediction> Predict(IEnumerable<ModelRow> rows, bool reuseRowObject) =>
        _ml.Data.CreateEnumerable<ModelPrediction>(Pipeline.Scoring.Transform(ModelRows.Load(_ml, rows)), reuseRowObject, schemaDefinition: _output);

    private static VBuffer<float> NonZero(in VBuffer<float> features)
    {
        var nonZero = features.Items().Where(item => item.Value != 0).ToArray();
        return new VBuffer<float>(features.Length, nonZero.Length, [.. nonZero.Select(i => i.Value)], [.. nonZero.Select(i => i.Key)]);
    }

    private SpamScore Explain(SpamModelInput input, ModelRow row, ModelPrediction prediction)
    {
        var contributions = _linear is null ? prediction.FeatureContributions : _linear.Of(prediction.Features);
        return new(prediction.Probability, Version, _explainer.Explain(input, row, contributions));
    }

    /// <summary>The pipeline as saved; without the contribution calculator that <see cref="LinearContributions"/> replaces; its engines.</summary>
    private sealed class MlNetPipeline(MLContext ml, ITransformer transformer, SchemaDefinition output)
    {
        public ITransformer Transformer { get; } = transformer;
        public ITransformer Scoring { get; } = LinearContributions.Split(transformer).Scoring;

        public ObjectPool<PredictionEngine<ModelRow, ModelPrediction>> Engines => field ??=
            new DefaultObjectPool<PredictionEngine<ModelRow, ModelPrediction>>(new EnginePolicy(ml, Scoring, output), Environment.ProcessorCount * 2);
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer transformer, SchemaDefinition output) : PooledObjectPolicy<PredictionEngine<ModelRow, ModelPrediction>>
    {
        public override PredictionEngine<ModelRow, ModelPrediction> Create() =>
            ml.Model.CreatePredictionEngine<ModelRow, ModelPrediction>(transformer, inputSchemaDefinition: ModelRows.Schema, outputSchemaDefinition: output);

        public override bool Return([NotNull] PredictionEngine<ModelRow, ModelPrediction> obj) => true;
    }
}
