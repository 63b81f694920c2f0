using System.Text.RegularExpressions;
using Moderation.Contracts;
using Moderation.Data.Sites;

namespace Moderation.Scoring.Scoring;

/// <summary>
/// The first scorer: the site's rules plus a small heuristic score. The ML.NET engine replaces the
/// heuristic behind the same interface; the rules stay.
/// </summary>
public sealed partial class RuleBasedScorer : ICommentScorer
{
    public const string Version = "rules-1";

    /// <summary>Faster than this from showing the form to sending it, and no person typed the comment.</summary>
    public static readonly TimeSpan FastestHumanSubmission = TimeSpan.FromSeconds(3);

    private static readonly string[] SpamPhrases =
        ["click here", "buy now", "free money", "work from home", "earn money", "guaranteed profit", "whatsapp", "telegram", "bitcoin", "crypto", "casino", "viagra", "loan"];

    public ValueTask<ScoreResult> ScoreAsync(CommentSubmitted submission, Site site, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        var verdict = RuleVerdict.None;
        var text = string.Join('\n', submission.AuthorName, submission.AuthorEmail, submission.AuthorUrl, submission.Body);
        var links = LinkPattern().Count(submission.Body);

        if (submission.HoneypotFilled) Raise(ref verdict, RuleVerdict.Spam, reasons, "hidden honeypot field filled in");
        if (submission.ElapsedMs is { } ms && ms < FastestHumanSubmission.TotalMilliseconds)
            Raise(ref verdict, RuleVerdict.Spam, reasons, $"submitted {ms / 1000.0:0.0} s after the form was shown");
        foreach (var word in site.BlockWords.Where(w => Contains(text, w)))
            Raise(ref verdict, RuleVerdict.Spam, reasons, $"contains blocked word '{word}'");
        foreach (var word in site.HoldWords.Where(w => Contains(text, w)))
            Raise(ref verdict, RuleVerdict.Hold, reasons, $"contains held word '{word}'");
        if (links > site.MaxLinks) Raise(ref verdict, RuleVerdict.Hold, reasons, $"{links} links (the site allows {site.MaxLinks})");
        if (site.PremoderateAll) Raise(ref verdict, RuleVerdict.Hold, reasons, "the site premoderates every comment");

        var score = HeuristicScore(submission, links, reasons);
        return ValueTask.FromResult(new ScoreResult(score, Version, verdict, reasons));
    }

    private static double HeuristicScore(CommentSubmitted s, int links, List<string> reasons)
    {
        var score = 0.05 + 0.2 * links;
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
        var phrases = SpamPhrases.Where(p => Contains(s.Body, p)).ToList();
        score += 0.25 * phrases.Count;
        if (phrases.Count > 0) reasons.Add("spam phrases: " + string.Join(", ", phrases.Select(p => $"'{p}'")));
        score = Math.Clamp(score, 0, 1);
        reasons.Add($"heuristic score {score:0.00}");
        return score;
    }

    private static void Raise(ref RuleVerdict verdict, RuleVerdict to, List<string> reasons, string reason)
    {
        if (to == RuleVerdict.Spam || verdict == RuleVerdict.None) verdict = to;
        reasons.Add(reason);
    }

    private static bool Contains(string text, string word) =>
        word.Length > 0 && text.Contains(word, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"https?://|www\.|<a\s", RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();
}
