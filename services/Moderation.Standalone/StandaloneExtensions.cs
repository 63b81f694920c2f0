using System.Security.Cryptography;

namespace Moderation.Standalone;

public static class StandaloneExtensions
{
    /// <summary>
    /// What a one-process install needs and a distributed one configures: submissions stored before the 202
    /// (the in-memory transport forgets on a crash), and a status-link secret kept beside the database.
    /// </summary>
    public static IHostApplicationBuilder AddStandaloneDefaults(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        config["Ingestion:StoreBeforeAccepting"] = "true";
        if (string.IsNullOrEmpty(config["Ingestion:StatusTokenSecret"]))
            config["Ingestion:StatusTokenSecret"] = LoadOrCreateSecret(Path.Combine(config["DataDirectory"] ?? "data", "status-token.secret"));
        return builder;
    }

    private static string LoadOrCreateSecret(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret);
        return secret;
    }
}
