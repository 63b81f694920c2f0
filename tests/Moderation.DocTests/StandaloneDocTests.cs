namespace Moderation.DocTests;

/// <summary>
/// Every sh/bash block of README.md and docs/*.md, in order, each file in one bash session against a fresh standalone
/// host (its own data directory) on http://localhost:5000; blocks marked distributed or skipped are left out.
/// </summary>
[Collection(DocsCollection.Name)]
public class StandaloneDocTests
{
    public static TheoryData<string> Documents() => [.. Repo.Documents()];

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Blocks_run_as_written(string document)
    {
        var file = DocBlocks.Read(Repo.Root, document);
        if (!file.Blocks.Any(b => b.Mode == BlockMode.Standalone))
        {
            Assert.Empty(file.Errors);
            return;
        }
        var before = RepositoryChanges();
        using var env = new DocEnvironment();
        var log = Path.Combine(env.Root, "host.log");
        await using (var host = await StandaloneHost.StartAsync(env.Data, log))
        {
            env.HostPort = host.Port;
            var ran = await DocRunner.RunAsync(file, BlockMode.Standalone, env, log);
            Assert.True(ran > 0);
        }
        // The repository is linked into the blocks' directory: a block that writes there (a report, a model) would
        // change it, and must write elsewhere or be skipped.
        Assert.True(RepositoryChanges().SetEquals(before),
            $"{document}'s blocks changed the repository: {string.Join(", ", RepositoryChanges().Except(before))}");
    }

    private static HashSet<string> RepositoryChanges()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git", ["status", "--porcelain", "--untracked-files=all"])
            { WorkingDirectory = Repo.Root, RedirectStandardOutput = true };
        using var git = System.Diagnostics.Process.Start(psi)!;
        var lines = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        git.WaitForExit();
        return [.. lines];
    }

    [Fact]
    public void Every_skip_says_why_and_the_docs_have_blocks()
    {
        var files = Repo.Documents().Select(d => DocBlocks.Read(Repo.Root, d)).ToList();
        Assert.All(files, f => Assert.Empty(f.Errors));
        Assert.Contains(files, f => f.Blocks.Any(b => b.Mode == BlockMode.Standalone));
    }
}
