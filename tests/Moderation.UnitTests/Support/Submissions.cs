using Moderation.Contracts;

namespace Moderation.UnitTests.Support;

/// <summary>Submissions as ingestion would publish them; vary one field with <c>with</c>.</summary>
internal static class Submissions
{
    public const string FriendlyBody =
        "Thanks for the careful reporting on the council budget. The chart of spending by ward made it easy to follow.";

    public static CommentSubmitted Friendly(string siteId = "demo") => new(
        CommentId: Guid.NewGuid(),
        SiteId: siteId,
        ThreadId: "news/council-budget",
        ThreadUrl: "https://news.example/news/council-budget",
        ThreadTitle: "Council agrees next year's budget",
        ParentId: null,
        AuthorName: "Ada Reader",
        AuthorEmail: "ada@example.com",
        AuthorUrl: null,
        Body: FriendlyBody,
        SubmittedAt: DateTime.UtcNow,
        ClientIp: "203.0.113.7",
        UserAgent: "UnitTests/1.0",
        Referrer: null,
        Language: "en-GB",
        HoneypotFilled: false,
        ElapsedMs: 45_000);
}
