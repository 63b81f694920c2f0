using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Scoring;

namespace Moderation.IntegrationTests;

/// <summary>docker compose starts every service at once on a new database: they must all come up.</summary>
public sealed class ConcurrentStartTests
{
    [Fact]
    public async Task Three_services_starting_at_once_on_a_new_database_all_start()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitVirtualHost.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = database.ConnectionString(),
            ["ConnectionStrings:rabbitmq"] = broker.AmqpUri().ToString(),
            ["ConnectionStrings:redis"] = Servers.Redis,
            ["ConnectionStrings:sqlite"] = "",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        var hosts = Enumerable.Range(0, 3).Select(_ => new ServiceHost<CommentScoringService>(settings)).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(host => Task.Run(() => host.Services)));

            Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from sites where \"Id\" = 'demo'"));
            Assert.True(await database.ScalarAsync<long>("select count(*) from \"__EFMigrationsHistory\"") >= 2);
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }
}
