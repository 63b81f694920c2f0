using System.CommandLine;
using System.Text.Json;
using Moderation.Cli.Reports;
using Moderation.Spam;
using Moderation.Spam.Training;

namespace Moderation.Cli.Commands;

/// <summary>`moderation train`: cross-validates the candidate learners, trains the best on everything, writes a versioned model.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var trainers = TrainerOption.Create(SpamTrainer.LogisticRegression, SpamTrainer.LightGbm, SpamTrainer.Ensemble);
        var folds = new Option<int>("--folds") { Description = "Folds for comparing learners.", DefaultValueFactory = _ => 5 }.AtLeast(2);
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed and data: same model).", DefaultValueFactory = _ => 1 };
        var name = new Option<string>("--name") { Description = "First part of the model version.", DefaultValueFactory = _ => "custom" };
        var outDir = new Option<string>("--out") { Description = "Folder for <version>.zip and its metrics.", DefaultValueFactory = _ => "artifacts/models" };
        var outFile = new Option<string?>("--out-file") { Description = "Write the model to exactly this path instead (metrics beside it)." };
        var leaveOneOut = new Option<bool>("--leave-one-file-out")
        {
            Description = "Also hold out each file in turn and keep the learner with the best worse-of-the-two F1 (needs two or more files).",
        };
        var command = new Command("train", "Train a spam model from labelled comments.") { trainers, folds, seed, name, outDir, outFile, leaveOneOut };
        data.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var progress = new ConsoleProgress(r.InvocationConfiguration.Error);
            await using var sources = await data.OpenAsync(r, ct);
            var comments = await DataOptions.ReadAsync(sources.Sources, progress, ct);
            LabelCounts.RequireBoth(comments, r.GetValue(folds));
            var options = new TrainingOptions
            {
                Candidates = r.GetRequiredValue(trainers), Folds = r.GetValue(folds), Seed = r.GetValue(seed), Name = r.GetRequiredValue(name),
                LeaveOneSourceOut = r.GetValue(leaveOneOut),
            };
            var trained = new SpamModelTrainer(progress).Train(comments, options);
            var path = r.GetValue(outFile) ?? Path.Combine(r.GetRequiredValue(outDir), trained.Metadata.Version + ".zip");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            trained.Save(path);
            var stem = Path.ChangeExtension(path, null);
            await File.WriteAllTextAsync(stem + ".metrics.json", JsonSerializer.Serialize(trained.Metadata, SpamModelMetadata.Json), ct);
            var markdown = Markdown.TrainingSummary(trained.Metadata, path);
            await File.WriteAllTextAsync(stem + ".metrics.md", markdown, ct);
            r.InvocationConfiguration.Output.Write(markdown);
            return 0;
        });
        return command;
    }
}
