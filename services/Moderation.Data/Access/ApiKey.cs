namespace Moderation.Data.Access;

public enum StaffRole
{
    Moderator,
    Admin,
}

/// <summary>
/// A credential for the moderation and admin APIs. Only the SHA-256 of the key is stored; the key
/// itself is shown once, when it is created.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    /// <summary>Who holds it ("Sam on the night desk"); the audit log's "who".</summary>
    public required string Name { get; set; }

    /// <summary>Hex SHA-256 of the whole key: the lookup.</summary>
    public required string KeyHash { get; set; }

    /// <summary>The first characters of the key, so a person can tell keys apart without the secret.</summary>
    public required string Prefix { get; set; }
    public StaffRole Role { get; set; }

    /// <summary>Sites this key may act on; empty means every site.</summary>
    public List<string> Sites { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}

/// <summary>A key as listed by the admin API and the CLI, and as the audit log records it: never the secret, only its first characters.</summary>
public sealed record KeyView(Guid Id, string Name, string Prefix, string Role, IReadOnlyList<string> Sites,
    DateTime CreatedAt, string? CreatedBy, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public static KeyView Of(ApiKey key) => new(key.Id, key.Name, key.Prefix, RoleName(key.Role), key.Sites,
        key.CreatedAt, key.CreatedBy, key.LastUsedAt, key.RevokedAt);

    /// <summary>The role as the APIs and the CLI spell it: <c>moderator</c> or <c>admin</c>.</summary>
    public static string RoleName(StaffRole role) => role == StaffRole.Admin ? "admin" : "moderator";
}
