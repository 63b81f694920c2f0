using System.Security.Cryptography;
using System.Text;

namespace Moderation.Data.Access;

/// <summary>
/// API keys are 256 random bits, so a plain SHA-256 is enough to store them (no password stretching:
/// nobody can guess a key, and every request must look one up).
/// </summary>
public static class ApiKeySecrets
{
    private const string Scheme = "mk_";

    public static (string Key, string Hash, string Prefix) Create()
    {
        var key = Scheme + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (key, Hash(key), key[..10]);
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>New keys, the same whether the admin API or the CLI makes them.</summary>
public static class ApiKeys
{
    /// <summary>A new key: the secret (to show once) and the row to store (its hash and prefix only).</summary>
    public static (string Secret, ApiKey Key) New(string name, StaffRole role, List<string> sites, string? createdBy, DateTime now)
    {
        var (secret, hash, prefix) = ApiKeySecrets.Create();
        return (secret, new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            KeyHash = hash,
            Prefix = prefix,
            Role = role,
            Sites = sites,
            CreatedAt = now,
            CreatedBy = createdBy,
        });
    }
}
