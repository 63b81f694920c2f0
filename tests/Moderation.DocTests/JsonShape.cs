using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Moderation.DocTests;

/// <summary>
/// The JSON a doc shows after a curl, with <c>…</c> for what varies: <c>"…"</c> or a bare <c>…</c> is any value,
/// <c>…</c> inside a string any text, a trailing <c>…</c> in an array any further items. An object's keys must be
/// present with matching values; keys it does not show are allowed. Numbers, booleans and null must be equal.
/// </summary>
public abstract record JsonShape
{
    public static JsonShape Parse(string text)
    {
        var reader = new ShapeReader(text.Replace("...", "…", StringComparison.Ordinal));
        var shape = reader.Value();
        return shape;
    }

    /// <summary>What differs between the answer and the shape, one line per difference ("$.errors.authorName: …").</summary>
    public abstract IEnumerable<string> Mismatches(JsonNode? actual, string path);

    public static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";

    public sealed record Any : JsonShape
    {
        public override IEnumerable<string> Mismatches(JsonNode? actual, string path) => [];
    }

    public sealed record Text(string Pattern) : JsonShape
    {
        private Regex Matcher => new("^" + string.Join(".*", Pattern.Split('…').Select(Regex.Escape)) + "$", RegexOptions.Singleline);

        public override IEnumerable<string> Mismatches(JsonNode? actual, string path) =>
            actual is JsonValue v && v.TryGetValue(out string? s) && Matcher.IsMatch(s)
                ? []
                : [$"{path}: expected \"{Pattern}\", got {Show(actual)}"];
    }

    public sealed record Literal(JsonNode? Value) : JsonShape
    {
        public override IEnumerable<string> Mismatches(JsonNode? actual, string path)
        {
            if (Value is JsonValue a && actual is JsonValue b && a.TryGetValue(out double x) && b.TryGetValue(out double y))
                return x == y ? [] : [$"{path}: expected {Show(Value)}, got {Show(actual)}"];
            return JsonNode.DeepEquals(Value, actual) ? [] : [$"{path}: expected {Show(Value)}, got {Show(actual)}"];
        }
    }

    public sealed record Obj(IReadOnlyList<(string Key, JsonShape Value)> Members) : JsonShape
    {
        public override IEnumerable<string> Mismatches(JsonNode? actual, string path)
        {
            if (actual is not JsonObject o) return [$"{path}: expected an object, got {Show(actual)}"];
            return Members.SelectMany(m => o.TryGetPropertyValue(m.Key, out var v)
                ? m.Value.Mismatches(v, $"{path}.{m.Key}")
                : [$"{path}: no \"{m.Key}\" in {Show(actual)}"]);
        }
    }

    public sealed record Arr(IReadOnlyList<JsonShape> Items, bool Open) : JsonShape
    {
        public override IEnumerable<string> Mismatches(JsonNode? actual, string path)
        {
            if (actual is not JsonArray a) return [$"{path}: expected an array, got {Show(actual)}"];
            if (Open ? a.Count < Items.Count : a.Count != Items.Count)
                return [$"{path}: expected {(Open ? "at least " : "")}{Items.Count} item(s), got {a.Count}: {Show(actual)}"];
            return Items.SelectMany((item, i) => item.Mismatches(a[i], $"{path}[{i}]"));
        }
    }

    private sealed class ShapeReader(string text)
    {
        private int _at;

        public JsonShape Value()
        {
            Skip();
            if (_at >= text.Length) throw Error("a value");
            switch (text[_at])
            {
                case '{': return Object();
                case '[': return Array();
                case '"':
                    var s = String();
                    return s == "…" ? new Any() : new Text(s);
                case '…':
                    SkipElided();
                    return new Any();
                default:
                    var start = _at;
                    while (_at < text.Length && !",]} \n\r\t".Contains(text[_at])) _at++;
                    var token = text[start.._at];
                    try
                    {
                        return new Literal(JsonNode.Parse(token));
                    }
                    catch (System.Text.Json.JsonException)
                    {
                        throw new FormatException($"unreadable shape at '{token}' in {text}");
                    }
            }
        }

        private Obj Object()
        {
            _at++;
            var members = new List<(string, JsonShape)>();
            while (true)
            {
                Skip();
                if (Eat('}')) return new Obj(members);
                if (text[_at] == '…') SkipElided();
                else
                {
                    var key = String();
                    Skip();
                    if (!Eat(':')) throw Error("':'");
                    members.Add((key, Value()));
                }
                Skip();
                if (!Eat(',') && (_at >= text.Length || text[_at] != '}')) throw Error("',' or '}'");
            }
        }

        private Arr Array()
        {
            _at++;
            var items = new List<JsonShape>();
            var open = false;
            while (true)
            {
                Skip();
                if (Eat(']')) return new Arr(items, open);
                if (text[_at] == '…')
                {
                    SkipElided();
                    open = true;
                }
                else items.Add(Value());
                Skip();
                if (!Eat(',') && (_at >= text.Length || text[_at] != ']')) throw Error("',' or ']'");
            }
        }

        private string String()
        {
            if (!Eat('"')) throw Error("'\"'");
            var sb = new StringBuilder();
            while (_at < text.Length && text[_at] != '"')
            {
                if (text[_at] == '\\' && _at + 1 < text.Length)
                {
                    _at++;
                    sb.Append(text[_at] switch
                    {
                        'n' => "\n",
                        't' => "\t",
                        'u' when _at + 4 < text.Length => ((char)int.Parse(text.AsSpan(_at + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString(),
                        var c => c.ToString(),
                    });
                    if (text[_at] == 'u') _at += 4;
                }
                else sb.Append(text[_at]);
                _at++;
            }
            if (!Eat('"')) throw Error("closing '\"'");
            return sb.ToString();
        }

        /// <summary>An elision and any words after it ("…20 counts"), up to the next separator.</summary>
        private void SkipElided()
        {
            while (_at < text.Length && !",]}".Contains(text[_at])) _at++;
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private bool Eat(char c)
        {
            if (_at >= text.Length || text[_at] != c) return false;
            _at++;
            return true;
        }

        private FormatException Error(string expected) => new($"unreadable shape: expected {expected} at {_at} in {text}");
    }
}
