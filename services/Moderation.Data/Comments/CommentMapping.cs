using System.Security.Cryptography;
using System.Text;
using Moderation.Contracts;

namespace Moderation.Data.Comments;

public static class CommentMapping
{
    /// <summary>A stored comment for a submission that has not been scored yet.</summary>
    public static Comment ToPendingComment(this CommentSubmitted s) => new()
    {
        Id = s.CommentId,
        SiteId = s.SiteId,
        ThreadId = s.ThreadId,
        ThreadUrl = s.ThreadUrl,
        ThreadTitle = s.ThreadTitle,
        ParentId = s.ParentId,
        AuthorName = s.AuthorName,
        AuthorEmail = s.AuthorEmail,
        EmailHash = HashEmail(s.AuthorEmail),
        AuthorUrl = s.AuthorUrl,
        Body = s.Body,
        ClientIp = s.ClientIp,
        UserAgent = s.UserAgent,
        Referrer = s.Referrer,
        Language = s.Language,
        HoneypotFilled = s.HoneypotFilled,
        ElapsedMs = s.ElapsedMs,
        SubmittedAt = s.SubmittedAt,
        Status = CommentStatus.Pending,
    };

    /// <summary>The submission again, for one that was stored but not yet scored (resumed at start-up).</summary>
    public static CommentSubmitted ToSubmission(this Comment c) => new(
        c.Id, c.SiteId, c.ThreadId, c.ThreadUrl, c.ThreadTitle, c.ParentId, c.AuthorName, c.AuthorEmail,
        c.AuthorUrl, c.Body, c.SubmittedAt, c.ClientIp, c.UserAgent, c.Referrer, c.Language, c.HoneypotFilled, c.ElapsedMs);

    /// <summary>SHA-256 of the trimmed, lower-cased address: the same author whatever the casing.</summary>
    public static string HashEmail(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
}
