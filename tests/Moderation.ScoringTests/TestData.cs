using Moderation.Spam;
using Moderation.Spam.Sources;

namespace Moderation.ScoringTests;

/// <summary>Small labelled data made here, so the tests do not depend on any outside file.</summary>
internal static class TestData
{
    private static readonly string[] SpamTemplates =
    [
        "Earn {0} dollars a week from home, visit http://fast-cash{1}.top now",
        "Cheap pills without prescription {0}% off at www.pills{1}.shop",
        "Subscribe to my channel for free giveaways {0} {1}!!!",
        "Great post! Check my site http://seo{1}.xyz for {0} backlinks",
        "Call {0}-555-01{1} for wallet support 24/7",
    ];

    private static readonly string[] HamTemplates =
    [
        "The council should explain why the budget rose {0} percent since {1}.",
        "I live near the bridge and the repairs have taken {0} months, not {1}.",
        "Thanks for the article, the school closures affect {0} families in our street.",
        "I disagree with the mayor about the {1} plan, it costs {0} million.",
        "The match on Saturday was great, we scored {0} goals in {1} minutes.",
    ];

    /// <summary>Comments labelled spam/ham, the same for the same count, spread over <paramref name="sources"/> names.</summary>
    public static List<LabelledComment> Comments(int perClass, params string[] sources)
    {
        var list = new List<LabelledComment>();
        for (var i = 0; i < perClass; i++)
        {
            var source = sources.Length == 0 ? "test" : sources[i % sources.Length];
            list.Add(new(new SpamModelInput(string.Format(SpamTemplates[i % SpamTemplates.Length], 10 + i * 7, i)), true, source));
            list.Add(new(new SpamModelInput(string.Format(HamTemplates[i % HamTemplates.Length], 3 + i, 1990 + i)), false, source));
        }
        return list;
    }

    /// <summary>Writes comments as a CSV with the YouTube collection's column names (CONTENT, CLASS) and a quoted multi-line row.</summary>
    public static string WriteCsv(string directory, string name, IEnumerable<LabelledComment> comments)
    {
        var path = Path.Combine(directory, name);
        var lines = new List<string> { "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS" };
        var i = 0;
        foreach (var c in comments)
            lines.Add(CsvTable.Line($"id{i++}", "someone", "", c.Input.Body, c.IsSpam ? "1" : "0"));
        lines.Add(CsvTable.Line("multi", "someone", "", "A reply over\ntwo lines, with \"quotes\"", "0"));
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Moderation.sln not found above the test binaries.");
    }
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("moderation-tests-").FullName;
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
