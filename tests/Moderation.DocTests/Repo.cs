using System.Reflection;

namespace Moderation.DocTests;

/// <summary>Where the repository, its documents and the builds the docs run are.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();

    /// <summary>The documents whose shell blocks run: the README, then docs/*.md by name.</summary>
    public static IEnumerable<string> Documents() =>
        ["README.md", .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    private static readonly string Configuration =
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string StandaloneDll => Built("Moderation.Standalone", "Moderation.Standalone.dll");

    public static string CliDll => Built("Moderation.Cli", "moderation.dll");

    /// <summary>A program on PATH (before the shims are put first), for the shims to hand over to.</summary>
    public static string OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"'{name}' is not on PATH; the doc tests need it (install it, e.g. apt-get install -y {name})");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, "services", project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build {project} -c {Configuration} (the test project's build does)");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) return dir.FullName;
        throw new InvalidOperationException("Moderation.sln not found above " + AppContext.BaseDirectory);
    }
}
