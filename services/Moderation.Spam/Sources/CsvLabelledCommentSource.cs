using System.Globalization;
using System.Runtime.CompilerServices;

namespace Moderation.Spam.Sources;

/// <summary>Which CSV columns hold what. Null means "try the usual names" (see <see cref="CsvLabelledCommentSource"/>).</summary>
public sealed record CsvColumns(string? Text = null, string? Label = null, string? Author = null, string? Url = null, string? Email = null, string? ElapsedMs = null);

/// <summary>
/// Labelled comments from a CSV file with a header row. Text and label columns are found by the names
/// given, else by the usual ones (text/content/body/comment; label/class/spam/is_spam), so the YouTube
/// Spam Collection's CONTENT/CLASS works as it is. Labels: 1/0, spam/ham, true/false, yes/no.
/// </summary>
public sealed class CsvLabelledCommentSource(string path, CsvColumns? columns = null, Func<TextReader>? open = null) : ILabelledCommentSource
{
    private readonly CsvColumns _columns = columns ?? new CsvColumns();

    public string Name { get; } = Path.GetFileName(path);

    public async IAsyncEnumerable<LabelledComment> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = open?.Invoke() ?? new StreamReader(path);
        using var rows = CsvTable.Read(reader).GetEnumerator();
        if (!rows.MoveNext()) throw new FormatException($"{Name}: empty file, expected a header row.");
        var header = rows.Current.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        var text = Required(header, _columns.Text, "text", ["text", "content", "body", "comment"]);
        var label = Required(header, _columns.Label, "label", ["label", "class", "spam", "is_spam"]);
        var author = Optional(header, _columns.Author, ["author", "author_name"]);
        var url = Optional(header, _columns.Url, ["url", "author_url"]);
        var email = Optional(header, _columns.Email, ["email", "author_email"]);
        var elapsed = Optional(header, _columns.ElapsedMs, ["elapsed_ms"]);
        // The corpus's family and article columns: reports only, never features.
        var kind = Optional(header, null, ["kind"]);
        var thread = Optional(header, null, ["thread"]);
        var line = 1;
        while (rows.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            line++;
            var r = rows.Current;
            if (r.Length == 1 && r[0].Length == 0) continue; // blank line
            if (r.Length <= Math.Max(text, label)) throw new FormatException($"{Name}: row {line} has {r.Length} fields, fewer than the header.");
            string? Field(int i) => i >= 0 && i < r.Length && r[i].Length > 0 ? r[i] : null;
            var input = new SpamModelInput(r[text], Field(author), Field(url), Field(email),
                int.TryParse(Field(elapsed), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : null);
            var isSpam = TryParseLabel(r[label])
                ?? throw new FormatException($"{Name}: row {line}: label '{r[label]}' is not one of 1/0, spam/ham, true/false, yes/no.");
            yield return new LabelledComment(input, isSpam, Name, Field(kind), Field(thread));
        }
        await Task.CompletedTask;
    }

    public static bool ParseLabel(string value) =>
        TryParseLabel(value) ?? throw new FormatException($"Label '{value}' is not one of 1/0, spam/ham, true/false, yes/no.");

    /// <summary>True for spam, false for ham, null for anything else.</summary>
    public static bool? TryParseLabel(string value) => value.Trim().ToLowerInvariant() switch
    {
        "1" or "spam" or "true" or "yes" => true,
        "0" or "ham" or "false" or "no" or "not spam" => false,
        _ => null,
    };

    private int Required(string[] header, string? named, string what, string[] usual) =>
        Optional(header, named, usual) is var i and >= 0 ? i
        : throw new FormatException($"{Name}: no {what} column (looked for {string.Join(", ", named is null ? usual : [named])}; the header has {string.Join(", ", header)}).");

    private static int Optional(string[] header, string? named, string[] usual)
    {
        foreach (var name in named is null ? usual : [named])
        {
            var i = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            if (i >= 0) return i;
        }
        return -1;
    }
}
