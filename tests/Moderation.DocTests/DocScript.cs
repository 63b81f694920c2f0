using System.Text;
using System.Text.RegularExpressions;

namespace Moderation.DocTests;

/// <summary>"# NNN {shape}" after a curl in a block: the status and, if shown, the body's shape it must answer.</summary>
public sealed record Expectation(int Id, DocBlock Block, int Line, int Status, string? Shape);

/// <summary>
/// One bash script for a file's blocks of one mode, in order, so that variables carry from block to block.
/// Every document line keeps its own script line (expectation comments become checks on the same line), so a
/// failing script line maps back to the document.
/// </summary>
public sealed partial class DocScript
{
    private readonly List<(DocBlock Block, int Line)?> _lines = [];

    public DocScript(IEnumerable<DocBlock> blocks, string prelude)
    {
        var text = new StringBuilder();
        Add(text, $"source '{prelude}'", null);
        foreach (var block in blocks)
        {
            Add(text, $"__doc_block {block.Number}", (block, block.Line - 1));
            for (var i = 0; i < block.Lines.Count; i++)
            {
                var line = block.Lines[i];
                var at = (block, block.Line + i);
                if (ExpectationLine().Match(line) is { Success: true } m)
                {
                    var id = Expectations.Count + 1;
                    Expectations.Add(new Expectation(id, block, block.Line + i, int.Parse(m.Groups["status"].Value), ShapeIn(m.Groups["rest"].Value)));
                    Add(text, $"__doc_expect {id} {m.Groups["status"].Value} {block.Line + i}", at);
                }
                else Add(text, line, at);
            }
        }
        Text = text.ToString();
    }

    public string Text { get; }

    public List<Expectation> Expectations { get; } = [];

    public int BlockCount => _lines.Where(l => l is not null).Select(l => l!.Value.Block).Distinct().Count();

    /// <summary>The document block and line of a (1-based) script line.</summary>
    public (DocBlock Block, int Line)? At(int scriptLine) => scriptLine >= 1 && scriptLine <= _lines.Count ? _lines[scriptLine - 1] : null;

    private void Add(StringBuilder text, string line, (DocBlock, int)? at)
    {
        text.Append(line).Append('\n');
        _lines.Add(at);
    }

    /// <summary>The JSON after the status, up to its closing bracket (text around it is prose).</summary>
    private static string? ShapeIn(string rest)
    {
        var start = rest.IndexOfAny(['{', '[']);
        if (start < 0) return null;
        var depth = 0;
        var inString = false;
        for (var i = start; i < rest.Length; i++)
        {
            var c = rest[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c is '{' or '[') depth++;
            else if (c is '}' or ']' && --depth == 0) return rest[start..(i + 1)];
        }
        return rest[start..];
    }

    [GeneratedRegex(@"^\s*#\s*(?<status>[1-5]\d\d)(?=[\s,]|$)(?<rest>.*)$")]
    private static partial Regex ExpectationLine();
}
