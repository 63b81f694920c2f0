using System.Collections;

namespace Moderation.DocTests;

/// <summary>
/// A temporary directory that looks like the repository to the docs' commands: every top-level entry of the
/// repository linked in, except <c>data/</c>, a real directory here that the host uses as its data directory. So
/// <c>cat data/admin.key</c> and <c>--sqlite "Data Source=data/moderation.db"</c> hold as documented, and nothing a
/// run makes lands in the repository. Also the shims (curl, dotnet, moderation) and the state they record.
/// </summary>
public sealed class DocEnvironment : IDisposable
{
    private static readonly string[] NotLinked = [".git", "data", "artifacts", "TestResults"];

    public DocEnvironment()
    {
        Root = Directory.CreateTempSubdirectory("moderation-doctests-").FullName;
        Work = Directory.CreateDirectory(Path.Combine(Root, "repo")).FullName;
        foreach (var entry in Directory.EnumerateFileSystemEntries(Repo.Root))
        {
            var name = Path.GetFileName(entry);
            if (!NotLinked.Contains(name)) File.CreateSymbolicLink(Path.Combine(Work, name), entry);
        }
        Data = Directory.CreateDirectory(Path.Combine(Work, "data")).FullName;
        State = Directory.CreateDirectory(Path.Combine(Root, "state")).FullName;
        Shims = Directory.CreateDirectory(Path.Combine(Root, "shims")).FullName;
        foreach (var shim in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "shims")))
        {
            var copy = Path.Combine(Shims, Path.GetFileName(shim));
            File.Copy(shim, copy);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Root { get; }

    /// <summary>The working directory of the blocks: the repository as the docs see it.</summary>
    public string Work { get; private set; }

    /// <summary>Runs the blocks in the repository itself (the distributed run, whose script keeps its data in data/distributed/).</summary>
    public DocEnvironment InRepository()
    {
        Work = Repo.Root;
        return this;
    }

    public string Data { get; }

    public string State { get; }

    public string Shims { get; }

    /// <summary>Where the standalone host listens, when it had to take another port than the docs' 5000.</summary>
    public int? HostPort { get; set; }

    public string Prelude => Path.Combine(Shims, "prelude.sh");

    /// <summary>The environment of the blocks' shell: this process's, cleaned as a reader's would be, shims first on PATH.</summary>
    public void Apply(IDictionary<string, string?> env)
    {
        Clean(env);
        if (HostPort is { } port && port != StandaloneHost.DocumentedPort) env["DOCTEST_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["PATH"] = Shims + ":" + env["PATH"];
        env["DOCTEST_STATE"] = State;
        env["DOCTEST_REAL_CURL"] = Repo.OnPath("curl");
        env["DOCTEST_REAL_DOTNET"] = Repo.OnPath("dotnet");
        env["DOCTEST_CLI_DLL"] = Repo.CliDll;
    }

    /// <summary>
    /// Drops what the test run's own environment configures (test.sh exports the distributed servers' connection
    /// strings): a reader following the docs has none of it, and the standalone host must not pick PostgreSQL.
    /// </summary>
    public static void Clean(IDictionary<string, string?> env)
    {
        foreach (var key in env.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Ingestion__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("Seed__", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(key);
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
    }

    public static string Tail(string file, int lines) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(lines)) : $"({file} not written)";

    public void Dispose()
    {
        try
        {
            // The links first, so that deleting the tree never follows one into the repository.
            foreach (var link in Directory.EnumerateFileSystemEntries(Path.Combine(Root, "repo")).Where(e => new FileInfo(e).LinkTarget is not null))
                File.Delete(link);
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
