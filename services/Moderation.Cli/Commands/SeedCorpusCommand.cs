using System.CommandLine;
using Moderation.Cli.SeedCorpus;

namespace Moderation.Cli.Commands;

/// <summary>`moderation seed-corpus`: expands the templates into the seed corpus CSV.</summary>
internal static class SeedCorpusCommand
{
    public static Command Create()
    {
        var templates = new Option<string>("--templates") { Description = "The templates file.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the CSV.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("seed-corpus", "Generate the labelled seed corpus from its templates (deterministic for a seed).") { templates, output, seed };
        command.SetAction(r =>
        {
            var generator = new SeedCorpusGenerator(TemplateFile.Parse(File.ReadAllText(r.GetRequiredValue(templates))), r.GetValue(seed));
            var lines = generator.Lines().ToList();
            File.WriteAllText(r.GetRequiredValue(output), string.Join('\n', lines) + "\n");
            r.InvocationConfiguration.Output.WriteLine($"wrote {lines.Count - 1} comments to {r.GetRequiredValue(output)}");
            return 0;
        });
        return command;
    }
}
