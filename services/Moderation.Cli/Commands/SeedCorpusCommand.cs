using System.CommandLine;
using Moderation.Cli.SeedCorpus;

namespace Moderation.Cli.Commands;

/// <summary>`moderation seed-corpus`: expands the templates into the seed corpus CSV.</summary>
internal static class SeedCorpusCommand
{
    public static Command Create()
    {
        var templates = new Option<string>("--templates") { Description = "The templates file.", Required = true };
        var @out = new Option<string>("--out") { Description = "Where to write the CSV.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("seed-corpus", "Generate the labelled seed corpus from its templates (deterministic for a seed).") { templates, @out, seed };
        command.SetAction(r =>
        {
            var path = r.GetRequiredValue(templates);
            if (!File.Exists(path)) throw new UserError($"no templates file at {path}.");
            TemplateFile parsed;
            try
            {
                parsed = TemplateFile.Parse(File.ReadAllText(path));
            }
            catch (FormatException ex)
            {
                throw new UserError($"{path}: {ex.Message}", ex);
            }
            var generator = new SeedCorpusGenerator(parsed, r.GetValue(seed));
            var lines = generator.Lines().ToList();
            var output = r.GetRequiredValue(@out);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, string.Join('\n', lines) + "\n");
            r.InvocationConfiguration.Error.WriteLine($"wrote {lines.Count - 1} comments to {output}");
            return 0;
        });
        return command;
    }
}
