using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Moderation.Data;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresModerationDb>
{
    public PostgresModerationDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresModerationDb>().UseNpgsql("Host=localhost").Options);
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteModerationDb>
{
    public SqliteModerationDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteModerationDb>().UseSqlite("Data Source=design.db").Options);
}
