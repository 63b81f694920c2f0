using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Moderation.Spam.Training;

namespace Moderation.Spam;

/// <summary>
/// A loaded spam model. Thread-safe: single comments go through pooled prediction engines (one engine
/// is not safe to share), batches through <see cref="ITransformer.Transform"/>. A model explained by its linear
/// learner is scored without ML.NET's contribution calculator: <see cref="LinearContributions"/> does its work; and a
/// linear model or ensemble over the standard features is served by <see cref="CompiledModel"/> once it has matched
/// ML.NET on probe comments: from the tables its file carries (<see cref="SpamModelArtifact.CompiledEntry"/>) without
/// loading ML.NET's pipeline, or compiled from the pipeline, which is then let go until asked for.
/// </summary>
public sealed class SpamModel
{
    private const string DefaultResource = "Moderation.Spam.Default.spam-model.zip";

    private readonly Lazy<MLContext> _ml;
    private readonly Func<Stream> _openFile;
    private readonly Lock _loading = new();
    private volatile MlNetPipeline? _pipeline;
    private readonly SpamExplainer _explainer;
    private readonly LinearContributions? _linear;
    private readonly CompiledModel? _compiled;

    /// <summary>A model read through ML.NET's pipeline: served compiled from it when it can be, by ML.NET otherwise.</summary>
    private SpamModel(MLContext ml, ITransformer transformer, SpamModelMetadata metadata, Func<Stream> openFile)
    {
        _ml = new(ml);
        _openFile = openFile;
        Metadata = metadata;
        _linear = LinearContributions.Split(transformer).Linear;
        _pipeline = new MlNetPipeline(ml, transformer, _linear);
        _compiled = _linear is null ? null : CompiledModel.TryCompileVerified(ml, _pipeline.Scoring);
        _explainer = _compiled is null ? SpamExplainer.For(ml, transformer) : new SpamExplainer(_compiled.FeatureNames);
        // Served compiled, the model needs ML.NET's pipeline only for ML.NET's own predictions (tests, benchmarks): let it
        // go, with each learner's cached names of every slot (a compiled ensemble held 24 MiB with it), until asked for.
        if (_compiled is not null) _pipeline = null;
    }

    /// <summary>A model served from the compiled tables in its file: ML.NET's pipeline is not loaded until asked for.</summary>
    private SpamModel(CompiledModel compiled, SpamModelMetadata metadata, Func<Stream> openFile)
    {
        _ml = new(() => new MLContext(seed: 1));
        _openFile = openFile;
        Metadata = metadata;
        _compiled = compiled;
        _linear = new LinearContributions(compiled.Weights, SpamPipeline.ContributionsKept);
        _explainer = new SpamExplainer(compiled.FeatureNames);
    }

    /// <summary>ML.NET's pipeline, read again from the model's file when it was let go or never loaded.</summary>
    private MlNetPipeline Pipeline
    {
        get
        {
            if (_pipeline is { } loaded) return loaded;
            lock (_loading)
            {
                if (_pipeline is { } reloaded) return reloaded;
                using var file = _openFile();
                return _pipeline = new MlNetPipeline(_ml.Value, SpamModelArtifact.Load(_ml.Value, file).Model, _linear);
            }
        }
    }

    /// <summary>
    /// How the model is served: "compiled" (<see cref="CompiledModel"/>, its tables read from the model's file or, for a
    /// file without them, compiled from ML.NET's pipeline) or "ML.NET".
    /// </summary>
    public string Serving => _compiled is null ? "ML.NET" : ServedFromFile ? "compiled, tables from its file" : "compiled";

    /// <summary>Whether the compiled tables came from the model's file, so ML.NET's pipeline was not loaded to serve it.</summary>
    public bool ServedFromFile { get; private init; }

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
        using (var file = openFile())
        {
            var (served, compiled) = SpamModelArtifact.LoadCompiled(file);
            if (compiled is not null) return new SpamModel(compiled, served, openFile) { ServedFromFile = true };
        }
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
    public IEnumerable<ModelPrediction> Predict(IEnumerable<ModelRow> rows)
    {
        var pipeline = Pipeline;
        return _ml.Value.Data.CreateEnumerable<ModelPrediction>(pipeline.Scoring.Transform(ModelRows.Load(_ml.Value, rows)), reuseRowObject: false,
            schemaDefinition: pipeline.Output);
    }

    private SpamScore Explain(SpamModelInput input, ModelRow row, ModelPrediction prediction)
    {
        var contributions = _linear is null ? prediction.FeatureContributions : _linear.Of(prediction.Features);
        return new(prediction.Probability, Version, _explainer.Explain(input, row, contributions));
    }

    /// <summary>The pipeline as saved; without the contribution calculator that <see cref="LinearContributions"/> replaces; its engines.</summary>
    private sealed class MlNetPipeline(MLContext ml, ITransformer transformer, LinearContributions? linear)
    {
        public ITransformer Transformer { get; } = transformer;
        public ITransformer Scoring { get; } = LinearContributions.Split(transformer).Scoring;

        /// <summary>The features when the contributions are computed here (<see cref="LinearContributions"/>), the calculator's column otherwise.</summary>
        public SchemaDefinition Output { get; } = ModelPrediction.Schema(readFeatures: linear is not null);

        public ObjectPool<PredictionEngine<ModelRow, ModelPrediction>> Engines => field ??=
            new DefaultObjectPool<PredictionEngine<ModelRow, ModelPrediction>>(new EnginePolicy(ml, Scoring, Output), Environment.ProcessorCount * 2);
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer transformer, SchemaDefinition output) : PooledObjectPolicy<PredictionEngine<ModelRow, ModelPrediction>>
    {
        public override PredictionEngine<ModelRow, ModelPrediction> Create() =>
            ml.Model.CreatePredictionEngine<ModelRow, ModelPrediction>(transformer, inputSchemaDefinition: ModelRows.Schema, outputSchemaDefinition: output);

        public override bool Return([NotNull] PredictionEngine<ModelRow, ModelPrediction> obj) => true;
    }
}
