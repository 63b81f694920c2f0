using System.Text.RegularExpressions;

namespace Moderation.Spam.Text;

/// <summary>What counts as a link, for the rules, the heuristic and the model alike.</summary>
public static partial class Links
{
    /// <summary>Full URLs, www. hosts, and bare domains with a common TLD ("mysite.com/x").</summary>
    [GeneratedRegex(@"https?://[^\s<>""]+|www\.[^\s<>""]+|\b[a-z0-9][a-z0-9\-]*(\.[a-z0-9\-]+)*\.(com|net|org|info|biz|xyz|top|ru|io|co|me|online|site|shop|club|ly|tk|us|uk|de|fr|es|br|pt|live|app|link|store|vip|bet|win|casino)\b(/[^\s<>""]*)?",
        RegexOptions.IgnoreCase)]
    public static partial Regex Pattern();

    public static int Count(string text) => Pattern().Count(text);
}
