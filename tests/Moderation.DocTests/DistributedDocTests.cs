namespace Moderation.DocTests;

/// <summary>
/// The blocks marked <c>&lt;!-- doc-test: distributed --&gt;</c>, every file in order, from the repository root
/// after <c>bash deploy/local/run-distributed.sh start</c> (every service behind the gateway on
/// http://127.0.0.1:5100, the admin key in data/distributed/admin.key), then <c>stop</c>.
/// </summary>
[Collection(DocsCollection.Name)]
public class DistributedDocTests
{
    [Fact]
    public async Task Distributed_blocks_run_as_written()
    {
        await Script("start");
        try
        {
            foreach (var document in Repo.Documents())
            {
                using var env = new DocEnvironment();
                // The script's data directory is the repository's own (data/distributed/), so the blocks run there.
                await DocRunner.RunAsync(DocBlocks.Read(Repo.Root, document), BlockMode.Distributed, env.InRepository());
            }
        }
        finally
        {
            await Script("stop");
        }
    }

    private static async Task Script(string command)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("bash", ["deploy/local/run-distributed.sh", command]) { WorkingDirectory = Repo.Root };
        using var process = System.Diagnostics.Process.Start(psi)!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"run-distributed.sh {command} exited with {process.ExitCode}");
    }
}
