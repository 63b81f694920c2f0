using System.Security.Cryptography;
using Moderation.Data;

namespace Moderation.Standalone;

public static class StandaloneExtensions
{
    /// <summary>
    /// What a one-process install needs and a distributed one configures: submissions stored before the 202
    /// (the in-memory transport forgets on a crash), and, in the data directory (<c>DataDirectory</c>, relative to
    /// the content root), the SQLite database unless a connection string names one, a status-link secret, and an
    /// admin key for the console (<c>admin.key</c>) unless <c>Auth:BootstrapAdminKey</c> names one.
    /// </summary>
    public static IHostApplicationBuilder AddStandaloneDefaults(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var data = DataDirectory(config, builder.Environment);
        config["Ingestion:StoreBeforeAccepting"] = "true";
        if (string.IsNullOrWhiteSpace(config.GetConnectionString(DataExtensions.PostgresKey))
            && string.IsNullOrWhiteSpace(config.GetConnectionString(DataExtensions.SqliteKey)))
            config[$"ConnectionStrings:{DataExtensions.SqliteKey}"] = $"Data Source={Path.Combine(data, "moderation.db")}";
        if (string.IsNullOrEmpty(config["Ingestion:StatusTokenSecret"]))
            config["Ingestion:StatusTokenSecret"] = LoadOrCreateSecret(Path.Combine(data, "status-token.secret"));
        if (string.IsNullOrEmpty(config["Auth:BootstrapAdminKey"]))
            config["Auth:BootstrapAdminKey"] = LoadOrCreateSecret(Path.Combine(data, "admin.key"));
        return builder;
    }

    /// <summary>Tells the person who started it where the console is and where its key lies.</summary>
    public static WebApplication LogConsoleAddress(this WebApplication app)
    {
        var keyFile = Path.Combine(DataDirectory(app.Configuration, app.Environment), "admin.key");
        if (app.Configuration["Auth:BootstrapAdminKey"] is { Length: > 0 } && File.Exists(keyFile))
            app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
                "Console: {Urls}/console/ — sign in with the admin key in {KeyFile}", app.Urls.FirstOrDefault(), keyFile));
        return app;
    }

    // The content root, not the process's working directory: `dotnet run` from the repository root and a service
    // manager starting the published host elsewhere find the same folder (launchSettings.json points `dotnet run`
    // at the repository's data/).
    private static string DataDirectory(IConfiguration config, IHostEnvironment environment) =>
        Path.GetFullPath(config["DataDirectory"] is { Length: > 0 } dir ? dir : "data", environment.ContentRootPath);

    private static string LoadOrCreateSecret(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret);
        return secret;
    }
}
