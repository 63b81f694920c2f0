using System.Net.Http.Json;
using Npgsql;
using RabbitMQ.Client;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>A database of its own for one test class, dropped afterwards.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(string name) => Name = name;

    public string Name { get; }

    public string ConnectionString(int? viaPort = null)
    {
        var b = new NpgsqlConnectionStringBuilder(Servers.Postgres) { Database = Name, Pooling = true };
        if (viaPort is { } port) { b.Host = "127.0.0.1"; b.Port = port; }
        return b.ConnectionString;
    }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var (host, port) = Servers.PostgresEndpoint;
        await Servers.RequireAsync("PostgreSQL", host, port);
        var db = new PostgresDatabase($"moderation_it_{Guid.NewGuid():N}"[..30]);
        await using var conn = new NpgsqlConnection(Servers.Postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{db.Name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }

    /// <summary>A name of its own for a database not made yet (for a test of what makes it); dropped afterwards if it was made.</summary>
    public static async Task<PostgresDatabase> NotMadeAsync()
    {
        var (host, port) = Servers.PostgresEndpoint;
        await Servers.RequireAsync("PostgreSQL", host, port);
        return new PostgresDatabase($"moderation_it_{Guid.NewGuid():N}"[..30]);
    }

    public async Task<bool> ExistsAsync()
    {
        await using var conn = new NpgsqlConnection(Servers.Postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from pg_database where datname = @name", conn);
        cmd.Parameters.AddWithValue("name", Name);
        return (long)(await cmd.ExecuteScalarAsync())! == 1;
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T));
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // FORCE ends the other sessions but waits only 5 s for them to go, and fails if new ones arrive meanwhile, as
        // a host still winding down on a loaded machine may open (one CI run failed its cleanup here). So the database
        // first refuses new connections, and the drop is tried again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = new NpgsqlConnection(Servers.Postgres);
                await conn.OpenAsync();
                // Two commands: DROP DATABASE may not share an (implicit) transaction with another statement.
                foreach (var sql in new[] { $"ALTER DATABASE \"{Name}\" WITH ALLOW_CONNECTIONS false", $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)" })
                {
                    await using var cmd = new NpgsqlCommand(sql, conn);
                    await cmd.ExecuteNonQueryAsync();
                }
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                return; // already gone
            }
            catch (PostgresException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }
}

/// <summary>A RabbitMQ virtual host of its own for one test class, so queues never cross between tests.</summary>
public sealed class RabbitVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management = Servers.Management();

    private RabbitVirtualHost(string name) => Name = name;

    public string Name { get; }

    public Uri AmqpUri(int? viaPort = null)
    {
        var b = new UriBuilder(Servers.RabbitMq) { Path = "/" + Uri.EscapeDataString(Name) };
        if (viaPort is { } port) { b.Host = "127.0.0.1"; b.Port = port; }
        return b.Uri;
    }

    public static async Task<RabbitVirtualHost> CreateAsync()
    {
        await Servers.RequireAsync("RabbitMQ", Servers.RabbitMq.Host, Servers.RabbitMq.Port);
        var vhost = new RabbitVirtualHost($"moderation-it-{Guid.NewGuid():N}");
        var user = Uri.UnescapeDataString(Servers.RabbitMq.UserInfo.Split(':')[0]);
        (await vhost._management.PutAsync($"/api/vhosts/{vhost.Name}", null)).EnsureSuccessStatusCode();
        (await vhost._management.PutAsJsonAsync($"/api/permissions/{vhost.Name}/{user}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return vhost;
    }

    /// <summary>Messages ready in a queue this moment: a passive declare, exact where the management API lags by seconds.</summary>
    public async Task<uint> ReadyNowAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = AmqpUri() }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Messages ready in a queue, as the broker counts them (the management API lags by a few seconds).</summary>
    public async Task<int> MessagesInAsync(string queue)
    {
        var response = await _management.GetAsync($"/api/queues/{Name}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return 0;
        response.EnsureSuccessStatusCode();
        var info = await response.Content.ReadFromJsonAsync<QueueInfo>();
        return info?.Messages ?? 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"/api/vhosts/{Name}");
        _management.Dispose();
    }

    private sealed record QueueInfo(int Messages);
}
