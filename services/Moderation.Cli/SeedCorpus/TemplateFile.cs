namespace Moderation.Cli.SeedCorpus;

/// <summary>A section of templates.txt: comments of one kind and label, how many to make.</summary>
internal sealed record TemplateSection(string Kind, bool IsSpam, int? Count, List<string> Templates);

/// <summary>Parses templates.txt (format described at its top).</summary>
internal sealed record TemplateFile(Dictionary<string, List<string>> Slots, List<TemplateSection> Sections)
{
    public static TemplateFile Parse(string text)
    {
        var slots = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var sections = new List<TemplateSection>();
        List<string>? current = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!IsDirective(line)) { (current ?? throw Error("text before any @slot/@spam/@ham")).Add(line); continue; }
            var parts = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts)
            {
                case ["slot", var name]:
                    slots[name] = current = [];
                    break;
                case [("spam" or "ham") and var label, var kind, var count]:
                    current = [];
                    int? n = count == "*" ? null
                        : int.TryParse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c) ? c
                        : throw Error($"count '{count}' is neither a number nor *");
                    sections.Add(new TemplateSection(kind, label == "spam", n, current));
                    break;
                default:
                    throw Error($"unknown directive '{line}'");
            }
        }
        return new TemplateFile(slots, sections);

        FormatException Error(string what) => new($"templates line {lineNumber}: {what}");
    }

    // "@maria I agree" is a template (a reply); only these three words start a directive.
    private static bool IsDirective(string line) =>
        line.StartsWith("@slot ", StringComparison.Ordinal) || line.StartsWith("@spam ", StringComparison.Ordinal) || line.StartsWith("@ham ", StringComparison.Ordinal);
}
