using System.CommandLine;
using System.CommandLine.Parsing;
using Moderation.Cli.Commands;
using Moderation.Data;
using Moderation.Spam;
using Moderation.Spam.Training;

namespace Moderation.Cli;

/// <summary>The `moderation` command line. Tests run it in-process through <see cref="RunAsync"/>.</summary>
public static class CliApp
{
    /// <summary>Exit codes: the command did what was asked; it failed unexpectedly (a bug, a fault); the person asked for something it cannot do.</summary>
    public const int Ok = 0, Failed = 1, UserMistake = 2, Cancelled = 130;


    public static RootCommand Build() => new("Moderation: train, evaluate and try the spam model; create, list and revoke API keys.")
    {
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        ScoreCommand.Create(),
        BenchModelCommand.Create(),
        SeedCorpusCommand.Create(),
        KeysCommand.Create(),
    };

    /// <summary>
    /// Runs a command line. Standard output gets the result only; progress, messages and errors go to
    /// <paramref name="error"/>. Every failure is one line there: a mistake of the caller's with exit code 2, anything
    /// else with exit code 1 (its details with --verbose).
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default) =>
        RunAsync(Build(), args, output, error, ct);

    /// <summary>Runs <paramref name="root"/> (this CLI's, or a test's) with the error handling described above.</summary>
    internal static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var verbose = new Option<bool>("--verbose") { Description = "On an unexpected failure, show its details (the exception and stack trace).", Recursive = true };
        root.Options.Add(verbose);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = string.Join(' ', ["moderation", .. CommandPath(parsed.CommandResult)]);
            // An unknown word also leaves a command or an argument missing: the word is what to report.
            var messages = parsed.UnmatchedTokens.Count > 0
                ? parsed.UnmatchedTokens.Select(t => $"unknown {(t.StartsWith('-') ? "option" : "command or argument")} '{t}'.")
                : parsed.Errors.Select(e => Sentence(OneLine(e.Message)));
            await error.WriteLineAsync($"moderation: {string.Join(" ", messages)} See '{command} --help'.");
            return UserMistake;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C (the parser cancels the action's token) or the caller's token: nothing here cancels for any other reason.
            await error.WriteLineAsync("moderation: cancelled.");
            return Cancelled;
        }
        catch (Exception ex) when (MistakeMessage(ex) is { } message)
        {
            await error.WriteLineAsync($"moderation: {OneLine(message)}");
            return UserMistake;
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync(parsed.GetValue(verbose)
                ? $"moderation: unexpected failure: {OneLine(ex.Message)}{Environment.NewLine}{ex}"
                : $"moderation: unexpected failure: {OneLine(ex.Message)} (--verbose shows the details)");
            return Failed;
        }
    }

    /// <summary>The one place that decides which exceptions are the caller's to put right.</summary>
    private static string? MistakeMessage(Exception ex) => ex switch
    {
        UserError => ex.Message,
        NotEnoughLabelsException => ex.Message,
        SpamModelLoadException => ex.Message,
        _ when TransientFailures.IsTransient(ex) => $"the database cannot be reached: {ex.Message}",
        _ => null,
    };

    private static IEnumerable<string> CommandPath(CommandResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as CommandResult)
            names.Push(r.Command.Name);
        return names;
    }

    private static string Sentence(string message) => message.TrimEnd().EndsWith('.') ? message.TrimEnd() : message.TrimEnd() + ".";

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
