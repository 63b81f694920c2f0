using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moderation.DocTests;

/// <summary>Runs a file's blocks of one mode in one bash session and fails with the block, the line, and what was expected and seen.</summary>
public static class DocRunner
{
    public static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The file's blocks of <paramref name="mode"/>, run in <paramref name="env"/>'s working directory; returns how many ran.</summary>
    public static async Task<int> RunAsync(DocFile file, BlockMode mode, DocEnvironment env, string? hostLog = null)
    {
        Assert.True(file.Errors.Count == 0, "Doc-test markers:\n" + string.Join('\n', file.Errors));
        var blocks = file.Blocks.Where(b => b.Mode == mode).ToList();
        if (blocks.Count == 0) return 0;
        var script = new DocScript(blocks, env.Prelude);
        List<string> problems = [];
        try
        {
            problems = [.. script.Expectations.Select(e => ShapeProblem(e)).OfType<string>()];
        }
        catch (FormatException e)
        {
            Assert.Fail($"{file.Path}: {e.Message}");
        }
        var scriptPath = Path.Combine(env.Root, Path.GetFileName(file.Path) + ".sh");
        File.WriteAllText(scriptPath, script.Text);

        var psi = new ProcessStartInfo("bash") { WorkingDirectory = env.Work, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(scriptPath);
        env.Apply(psi.Environment);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(FileTimeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.WaitForExit(); // the output's last lines
        // Kept for reading after a run, failed or not (artifacts/ is ignored by git).
        var logs = Directory.CreateDirectory(Path.Combine(Repo.Root, "artifacts", "doc-tests")).FullName;
        File.WriteAllText(Path.Combine(logs, $"{Path.GetFileNameWithoutExtension(file.Path)}.{mode.ToString().ToLowerInvariant()}.log"), output.ToString());

        var failures = new List<string>();
        if (timedOut || process.ExitCode != 0) failures.Add(Failure(file, script, env, timedOut, process.ExitCode, output.ToString()));
        failures.AddRange(script.Expectations.Select(e => Mismatch(e, env)).OfType<string>());
        failures.AddRange(problems);
        if (failures.Count > 0)
            Assert.Fail(string.Join("\n\n", failures)
                + $"\n\n--- output of {file.Path}'s blocks (last 60 lines) ---\n{Tail(output.ToString(), 60)}"
                + (hostLog is null ? "" : $"\n--- host log (last 30 lines) ---\n{DocEnvironment.Tail(hostLog, 30)}"));
        return script.BlockCount;
    }

    private static string Failure(DocFile file, DocScript script, DocEnvironment env, bool timedOut, int exitCode, string output)
    {
        if (timedOut) return $"{file.Path}: the blocks did not finish within {FileTimeout.TotalMinutes} min (in block {Read(env, "block") ?? "?"})";
        var line = int.TryParse(Read(env, "failed-line"), out var l) ? script.At(l) : null;
        var block = int.TryParse(Read(env, "block"), out var b) ? b : (int?)null;
        var where = line is { } at
            ? $"{file.Path}, block {at.Block.Number} (from line {at.Block.Line}), line {at.Line}: {at.Block.Lines[Math.Clamp(at.Line - at.Block.Line, 0, at.Block.Lines.Count - 1)].Trim()}"
            : $"{file.Path}, block {block?.ToString() ?? "?"}";
        return exitCode switch
        {
            97 or 98 => $"{where}: " + string.Join("; ", output.Split('\n').Where(l => l.StartsWith("doc-test: line", StringComparison.Ordinal)).Select(l => l["doc-test: ".Length..].Trim())),
            _ => $"{where}: exited with {exitCode}",
        };
    }

    /// <summary>The body's shape, for an expectation the run reached (its status was checked by the script).</summary>
    private static string? Mismatch(Expectation e, DocEnvironment env)
    {
        var bodyFile = Path.Combine(env.State, $"expect-{e.Id}.body");
        if (e.Shape is null || !File.Exists(bodyFile)) return null;
        var body = File.ReadAllText(bodyFile);
        JsonNode? actual;
        try
        {
            actual = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return $"{e.Block.File}, block {e.Block.Number}, line {e.Line}: expected a JSON body like {e.Shape}, got: {Truncate(body)}";
        }
        var mismatches = JsonShape.Parse(e.Shape).Mismatches(actual, "$").ToList();
        return mismatches.Count == 0 ? null
            : $"{e.Block.File}, block {e.Block.Number}, line {e.Line}: the body does not have the documented shape\n  expected: {e.Shape}\n  got:      {Truncate(body)}\n  "
              + string.Join("\n  ", mismatches);
    }

    /// <summary>A shape that cannot be read is the doc's mistake, reported before anything runs.</summary>
    private static string? ShapeProblem(Expectation e)
    {
        if (e.Shape is null) return null;
        try
        {
            JsonShape.Parse(e.Shape);
            return null;
        }
        catch (FormatException x)
        {
            return $"{e.Block.File}, block {e.Block.Number}, line {e.Line}: {x.Message}";
        }
    }

    private static string? Read(DocEnvironment env, string name)
    {
        var path = Path.Combine(env.State, name);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private static string Truncate(string s) => s.Length <= 1500 ? s.Trim() : s[..1500] + "…";

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}

/// <summary>The standalone and the distributed runs one after the other: each starts servers of its own and both read the repository.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DocsCollection
{
    public const string Name = "docs";
}
