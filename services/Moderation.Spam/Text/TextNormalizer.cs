using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Moderation.Spam.Text;

/// <summary>
/// Text as the rules compare it: markup stripped, entities decoded, Unicode folded (NFKC: full-width and
/// other look-alike forms become plain letters), lower case, white space single.
/// </summary>
public static partial class TextNormalizer
{
    public static string ForMatching(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var withoutMarkup = WebUtility.HtmlDecode(Markup().Replace(text, " "));
        var folded = withoutMarkup.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        return Spaces().Replace(folded, " ").Trim();
    }

    /// <summary>Letters and digits only, single-spaced: what stays the same when a campaign varies punctuation.</summary>
    public static string ForFingerprint(string? text)
    {
        var matching = ForMatching(text);
        var sb = new StringBuilder(matching.Length);
        var space = true;
        foreach (var c in matching)
        {
            if (char.IsLetterOrDigit(c)) { sb.Append(c); space = false; }
            else if (!space) { sb.Append(' '); space = true; }
        }
        return sb.ToString().TrimEnd();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
