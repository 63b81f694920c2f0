using System.Security.Cryptography;
using System.Text;

namespace Moderation.ModerationApi.Auth;

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
