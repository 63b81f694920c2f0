using System.CommandLine;
using Moderation.Cli.Commands;

namespace Moderation.Cli;

/// <summary>The `moderation` command line. Tests run it in-process through <see cref="RunAsync"/>.</summary>
public static class CliApp
{
    public static RootCommand Build() => new("Moderation: train, evaluate and try the spam model; create API keys.")
    {
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        ScoreCommand.Create(),
        BenchModelCommand.Create(),
        SeedCorpusCommand.Create(),
        KeysCommand.Create(),
    };

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default) =>
        Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
}
