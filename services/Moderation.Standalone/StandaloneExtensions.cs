using System.Security.Cryptography;

namespace Moderation.Standalone;

public static class StandaloneExtensions
{
    /// <summary>
    /// What a one-process install needs and a distributed one configures: submissions stored before the 202
    /// (the in-memory transport forgets on a crash), a status-link secret kept beside the database, and an
    /// admin key for the console (<c>data/admin.key</c>) unless <c>Auth:BootstrapAdminKey</c> names one.
    /// </summary>
    public static IHostApplicationBuilder AddStandaloneDefaults(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        config["Ingestion:StoreBeforeAccepting"] = "true";
        if (string.IsNullOrEmpty(config["Ingestion:StatusTokenSecret"]))
            config["Ingestion:StatusTokenSecret"] = LoadOrCreateSecret(Path.Combine(DataDirectory(config), "status-token.secret"));
        if (string.IsNullOrEmpty(config["Auth:BootstrapAdminKey"]))
            config["Auth:BootstrapAdminKey"] = LoadOrCreateSecret(AdminKeyPath(config));
        return builder;
    }

    /// <summary>Tells the person who started it where the console is and where its key lies.</summary>
    public static WebApplication LogConsoleAddress(this WebApplication app)
    {
        if (app.Configuration["Auth:BootstrapAdminKey"] is { Length: > 0 } && File.Exists(AdminKeyPath(app.Configuration)))
            app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
                "Console: {Urls}/console/ — sign in with the admin key in {KeyFile}", app.Urls.FirstOrDefault(), AdminKeyPath(app.Configuration)));
        return app;
    }

    public static string AdminKeyPath(IConfiguration config) => Path.GetFullPath(Path.Combine(DataDirectory(config), "admin.key"));

    private static string DataDirectory(IConfiguration config) => config["DataDirectory"] ?? "data";

    private static string LoadOrCreateSecret(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret);
        return secret;
    }
}
