namespace Moderation.BrowserTests.Infrastructure;

/// <summary>Screenshots of the widget's states, kept under artifacts/screenshots/ at the repository root.</summary>
public static class Artifacts
{
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public static async Task ScreenshotAsync(ILocator what, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await what.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), Animations = ScreenshotAnimations.Disabled });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Moderation.sln not found above {AppContext.BaseDirectory}.");
    }
}
