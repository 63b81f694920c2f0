using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Moderation.Ingestion.Submissions;

/// <summary>
/// The per-submission token in a status link: an HMAC of the comment id, so any instance can check it
/// without storing anything, and nobody can read the status of a comment they did not post.
/// </summary>
public sealed class StatusTokens(IOptions<IngestionOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.StatusTokenSecret);

    public string For(Guid commentId)
    {
        Span<byte> id = stackalloc byte[16];
        commentId.TryWriteBytes(id);
        return Base64Url(HMACSHA256.HashData(_key, id)[..16]);
    }

    public bool IsValid(Guid commentId, string? token) =>
        token is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(For(commentId)), Encoding.ASCII.GetBytes(token));

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
