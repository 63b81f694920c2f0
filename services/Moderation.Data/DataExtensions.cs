using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moderation.Data.Sites;

namespace Moderation.Data;

public static class DataExtensions
{
    public const string PostgresKey = "postgres";
    public const string SqliteKey = "sqlite";

    /// <summary>
    /// Registers <see cref="ModerationDb"/> on PostgreSQL (<c>ConnectionStrings:postgres</c>) or, when only
    /// <c>ConnectionStrings:sqlite</c> is set, on an embedded SQLite file; migrates and seeds at start.
    /// </summary>
    public static IHostApplicationBuilder AddModerationData(this IHostApplicationBuilder builder)
    {
        var postgres = builder.Configuration.GetConnectionString(PostgresKey);
        var sqlite = builder.Configuration.GetConnectionString(SqliteKey);
        var services = builder.Services;

        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.AddDbContextPool<PostgresModerationDb>(o => o.UseNpgsql(WithAutoPrepare(postgres)));
            services.AddScoped<ModerationDb>(sp => sp.GetRequiredService<PostgresModerationDb>());
        }
        else if (!string.IsNullOrWhiteSpace(sqlite))
        {
            EnsureSqliteFolder(sqlite);
            services.AddDbContextPool<SqliteModerationDb>(o => o.UseSqlite(sqlite).AddInterceptors(new SqliteErasure.SecureDelete()));
            services.AddScoped<ModerationDb>(sp => sp.GetRequiredService<SqliteModerationDb>());
        }
        else
        {
            throw new InvalidOperationException(
                $"No database configured: set ConnectionStrings:{PostgresKey} (PostgreSQL) or ConnectionStrings:{SqliteKey} (standalone SQLite).");
        }

        services.AddOptions<SiteSeedOptions>().BindConfiguration(SiteSeedOptions.SectionName);
        services.AddSingleton<SiteRegistry>();
        services.AddSingleton<ISiteRegistry>(sp => sp.GetRequiredService<SiteRegistry>());
        // Migrate before anything else starts: hosted services start in registration order.
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<SiteRegistry>());
        return builder;
    }

    /// <summary>
    /// Statements that run again and again (the worker's inserts, the rules' lookups, the read path) are prepared
    /// on each connection after their second use, so PostgreSQL stops parsing and planning them every time. A
    /// connection string that sets <c>Max Auto Prepare</c> itself wins (0 turns it off).
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}
