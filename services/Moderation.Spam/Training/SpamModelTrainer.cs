using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Moderation.Spam.Evaluation;

namespace Moderation.Spam.Training;

/// <summary>What to train: candidates compared by cross-validation, the best kept.</summary>
public sealed record TrainingOptions
{
    public IReadOnlyList<SpamTrainer> Candidates { get; init; } = [SpamTrainer.LogisticRegression, SpamTrainer.LightGbm, SpamTrainer.Ensemble];
    public int Folds { get; init; } = 5;
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Also hold out each source (file) in turn when comparing learners, and rank them by the worse of the two F1s
    /// (<see cref="TrainerResult.RankingF1"/>). Needs comments from at least two sources; costs one fit per source.
    /// </summary>
    public bool LeaveOneSourceOut { get; init; }

    /// <summary>First part of the version string, e.g. "default" or "site-a".</summary>
    public string Name { get; init; } = "custom";
}

/// <summary>A freshly trained model, not yet saved.</summary>
public sealed record TrainedSpamModel(MLContext Ml, ITransformer Transformer, DataViewSchema InputSchema, SpamModelMetadata Metadata)
{
    public void Save(string path) => SpamModelArtifact.Save(Ml, Transformer, InputSchema, Metadata, path);
    public void Save(Stream stream) => SpamModelArtifact.Save(Ml, Transformer, InputSchema, Metadata, stream);

    /// <summary>Round-trips through the file format, so what is served is exactly what would be loaded.</summary>
    public SpamModel ToSpamModel()
    {
        using var buffer = new MemoryStream();
        Save(buffer);
        buffer.Position = 0;
        return SpamModel.Load(buffer);
    }
}

/// <summary>Trains spam models reproducibly: same data, options and seed give the same model and metrics.</summary>
public sealed class SpamModelTrainer(IProgress<string>? progress = null)
{
    public TrainedSpamModel Train(IEnumerable<LabelledComment> comments, TrainingOptions options)
    {
        var data = LabelledData.Deduplicate(comments);
        if (data.Count(c => c.IsSpam) < options.Folds || data.Count(c => !c.IsSpam) < options.Folds)
            throw new NotEnoughLabelsException($"Need at least {options.Folds} spam and {options.Folds} ham comments to train; got {data.Count(c => c.IsSpam)} and {data.Count(c => !c.IsSpam)}.");

        var protocol = new EvaluationProtocol(options.Seed, progress);
        var leaveOneOut = options.LeaveOneSourceOut && data.Select(c => c.Source).Distinct().Skip(1).Any();
        var outOfFold = protocol.CrossValidate(data, options.Candidates, options.Folds);
        var perSource = leaveOneOut ? protocol.LeaveOneSourceOut(data, options.Candidates) : null;
        var compared = options.Candidates.Distinct().Select(trainer => new TrainerResult(trainer.ToString(),
            BinaryMetrics.Compute([.. outOfFold[trainer].Select(o => o.Example)]),
            perSource is null ? null : EvaluationProtocol.WorstF1PerSource(perSource[trainer]))).ToList();
        var chosen = Enum.Parse<SpamTrainer>(TrainerResult.Best(compared, r => r).Trainer);
        progress?.Report($"training {chosen} on all {data.Count} comments");

        var ml = new MLContext(options.Seed);
        var rows = ModelRows.Load(ml, data.Select(c => CommentFeatures.Extract(c.Input, c.IsSpam)));
        var transformer = SpamPipeline.Fit(ml, rows, chosen);
        var dataHash = DataHash(data);
        var metadata = new SpamModelMetadata(
            Version: $"{options.Name}-{chosen.ToString().ToLowerInvariant()}-{Hash($"{dataHash}|{SpamPipeline.Settings(chosen)}|{options.Seed}|{CommentFeatures.SchemaVersion}")[..10]}",
            Trainer: chosen.ToString(),
            FeatureSchema: CommentFeatures.SchemaVersion,
            Seed: options.Seed,
            TrainedAtUtc: DateTime.UtcNow,
            TrainingRows: data.Count,
            SpamRows: data.Count(c => c.IsSpam),
            Sources: [.. data.Select(c => c.Source).Distinct().Order(StringComparer.Ordinal)],
            DataSha256: dataHash,
            TrainersCompared: compared);
        return new TrainedSpamModel(ml, transformer, rows.Schema, metadata);
    }

    /// <summary>SHA-256 of the distinct comments as training sees them: tells whether a model was trained on this data.</summary>
    public static string DataHash(IEnumerable<LabelledComment> comments)
    {
        var text = new StringBuilder();
        foreach (var c in LabelledData.Deduplicate(comments))
            text.Append(c.IsSpam ? '1' : '0').Append('\t').Append(c.Input.Body).Append('\t').Append(c.Input.AuthorName).Append('\t')
                .Append(c.Input.AuthorUrl).Append('\t').Append(c.Input.AuthorEmail).Append('\t').Append(c.Input.ElapsedMs).Append('\n');
        return Hash(text.ToString());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
