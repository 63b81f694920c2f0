using System.Text;

namespace Moderation.Spam.Sources;

/// <summary>A small RFC 4180 reader and writer: quoted fields may hold commas, quotes ("") and line breaks.</summary>
public static class CsvTable
{
    public static IEnumerable<string[]> Read(TextReader reader)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            any = true;
            if (quoted)
            {
                if (ch != '"') field.Append(ch);
                else if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                else quoted = false;
                continue;
            }
            switch (ch)
            {
                case '"': quoted = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    row.Add(field.ToString()); field.Clear();
                    yield return [.. row];
                    row.Clear(); any = false;
                    break;
                default: field.Append(ch); break;
            }
        }
        if (any) { row.Add(field.ToString()); yield return [.. row]; }
    }

    public static string Escape(string? value) =>
        value is null ? "" :
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    public static string Line(params string?[] fields) => string.Join(',', fields.Select(Escape));
}
