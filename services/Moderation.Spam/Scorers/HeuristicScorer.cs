using Moderation.Contracts;
using Moderation.Data.Sites;

using Moderation.Spam.Text;

namespace Moderation.Spam;

/// <summary>
/// A hand-written score for when no trained model can be loaded: links, shouting, short comments carrying a
/// link, and common spam phrases. Crude, but it keeps the worker deciding rather than stopping.
/// </summary>
public sealed class HeuristicScorer : ICommentScorer
{
    public const string Version = "heuristic-1";

    private static readonly string[] SpamPhrases =
        ["click here", "buy now", "free money", "work from home", "earn money", "guaranteed profit", "whatsapp", "telegram", "bitcoin", "crypto", "casino", "viagra", "loan"];

    public ValueTask<ScoreResult> ScoreAsync(CommentSubmitted s, Site site, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        var links = Links.Count(s.Body);
        var score = 0.2 * links; // nothing found: 0, published at any site's threshold
        if (s.AuthorUrl is not null) score += 0.1;
        var letters = s.Body.Count(char.IsLetter);
        if (letters > 20 && s.Body.Count(char.IsUpper) > 0.6 * letters)
        {
            score += 0.2;
            reasons.Add("mostly capital letters");
        }
        if (links > 0 && s.Body.Length < 60)
        {
            score += 0.3;
            reasons.Add("a short comment with a link");
        }
        var phrases = SpamPhrases.Where(p => s.Body.Contains(p, StringComparison.OrdinalIgnoreCase)).ToList();
        score += 0.25 * phrases.Count;
        if (phrases.Count > 0) reasons.Add("spam phrases: " + string.Join(", ", phrases.Select(p => $"'{p}'")));
        score = Math.Clamp(score, 0, 1);
        reasons.Add($"heuristic score {score:0.00}");
        return ValueTask.FromResult(new ScoreResult(score, Version, RuleVerdict.None, reasons));
    }

}
