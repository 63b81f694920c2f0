using System.Text.RegularExpressions;

namespace Moderation.DocTests;

public enum BlockMode { Standalone, Distributed, Skip }

/// <summary>One ```sh or ```bash block of a document: its number among them, the line of its first command, and how it runs.</summary>
public sealed record DocBlock(string File, int Number, int Line, IReadOnlyList<string> Lines, BlockMode Mode, string? SkipReason);

/// <summary>A document's shell blocks, and the markers it got wrong (a skip without a reason, a marker on nothing).</summary>
public sealed record DocFile(string Path, IReadOnlyList<DocBlock> Blocks, IReadOnlyList<string> Errors);

/// <summary>
/// Reads the shell blocks of a markdown file. A block is preceded (blank lines aside) by an optional marker:
/// <c>&lt;!-- doc-test: skip (why) --&gt;</c> (not run; the reason is required) or <c>&lt;!-- doc-test: distributed --&gt;</c>
/// (run against the distributed system, not the standalone host).
/// </summary>
public static partial class DocBlocks
{
    public static DocFile Read(string root, string relativePath)
    {
        var lines = File.ReadAllLines(Path.Combine(root, relativePath));
        var blocks = new List<DocBlock>();
        var errors = new List<string>();
        var number = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success) continue;
            var indent = fence.Groups["indent"].Length;
            var lang = fence.Groups["lang"].Value;
            var end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            var marker = MarkerBefore(lines, i);
            if (lang is "sh" or "bash")
            {
                number++;
                var body = lines[(i + 1)..Math.Min(end, lines.Length)].Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart()).ToList();
                var (mode, reason, error) = Parse(marker);
                if (error is not null) errors.Add($"{relativePath}:{i + 1}: block {number}: {error}");
                blocks.Add(new DocBlock(relativePath, number, i + 2, body, mode, reason));
            }
            else if (marker is not null)
                errors.Add($"{relativePath}:{i + 1}: a doc-test marker before a ```{lang} block, which is never run");
            i = end;
        }
        return new DocFile(relativePath, blocks, errors);
    }

    private static string? MarkerBefore(string[] lines, int fence)
    {
        var j = fence - 1;
        while (j >= 0 && string.IsNullOrWhiteSpace(lines[j])) j--;
        return j >= 0 && Marker().Match(lines[j]) is { Success: true } m ? m.Groups["what"].Value.Trim() : null;
    }

    private static (BlockMode Mode, string? Reason, string? Error) Parse(string? marker)
    {
        if (marker is null) return (BlockMode.Standalone, null, null);
        if (marker == "distributed") return (BlockMode.Distributed, null, null);
        if (Skip().Match(marker) is { Success: true } skip)
        {
            var reason = skip.Groups["why"].Value.Trim();
            return reason.Length > 0 ? (BlockMode.Skip, reason, null) : (BlockMode.Skip, null, "`doc-test: skip` needs a reason: `skip (why)`");
        }
        return (BlockMode.Standalone, null, $"unknown doc-test marker '{marker}' (known: `skip (why)`, `distributed`)");
    }

    [GeneratedRegex(@"^(?<indent>\s*)```(?<lang>[\w+-]*)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*<!--\s*doc-test:(?<what>.*?)-->\s*$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^skip\s*(\((?<why>.*)\))?$")]
    private static partial Regex Skip();
}
