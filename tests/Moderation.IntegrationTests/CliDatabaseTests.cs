using System.Net;
using Moderation.Cli;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.ModerationApi.Audit;

namespace Moderation.IntegrationTests;

/// <summary>`moderation keys` on real PostgreSQL, side by side with a service starting on the same new database.</summary>
public sealed class CliDatabaseTests
{
    [Fact]
    public async Task Keys_created_while_a_service_and_another_cli_migrate_a_new_database_work_until_revoked()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitVirtualHost.CreateAsync();
        await using var api = new ServiceHost<AuditLog>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = database.ConnectionString(),
            ["ConnectionStrings:rabbitmq"] = broker.AmqpUri().ToString(),
            ["ConnectionStrings:redis"] = "",
            ["ConnectionStrings:sqlite"] = "",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        var postgres = database.ConnectionString();

        // The service migrates at start; both CLIs migrate before they write: all three on one new database at once.
        var started = Task.Run(() => api.Services);
        var created = await Task.WhenAll(
            Task.Run(() => Cli("keys", "create", "--name", "Desk A", "--role", "moderator", "--postgres", postgres)),
            Task.Run(() => Cli("keys", "create", "--name", "Desk B", "--role", "moderator", "--postgres", postgres)));
        await started;

        foreach (var (code, _, error) in created) Assert.True(code == 0, error);
        var (a, b) = (created[0].Output.Trim(), created[1].Output.Trim());
        Assert.Equal(2L, await database.ScalarAsync<long>("select count(*) from api_keys"));
        using var deskA = Client(api, a);
        using var deskB = Client(api, b);
        Assert.Equal(HttpStatusCode.OK, (await deskA.GetAsync("/api/v1/moderation/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await deskB.GetAsync("/api/v1/moderation/me")).StatusCode);

        var (revoked, _, revokeError) = await Cli("keys", "revoke", "Desk A", "--postgres", postgres);

        Assert.True(revoked == 0, revokeError);
        await Eventually.Until(async () => (await deskA.GetAsync("/api/v1/moderation/me")).StatusCode, s => s == HttpStatusCode.Unauthorized, "the revoked key refused by the moderation API (it caches a key for 5 s)",
            TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, (await deskB.GetAsync("/api/v1/moderation/me")).StatusCode);
        var (listed, list, _) = await Cli("keys", "list", "--postgres", postgres);
        Assert.Equal(0, listed);
        Assert.Matches(@"Desk A .* \d{4}-\d\d-\d\d \d\d:\d\dZ\s*$", list.Split('\n').Single(l => l.Contains("Desk A")));
    }

    [Fact]
    public async Task A_postgres_database_that_is_not_there_is_made_only_with_create()
    {
        await using var database = await PostgresDatabase.NotMadeAsync();
        var postgres = database.ConnectionString();

        var (refused, output, error) = await Cli("keys", "create", "--name", "Ops", "--role", "admin", "--postgres", postgres);

        Assert.Equal(2, refused);
        Assert.Equal("", output);
        Assert.Matches($"^moderation: no database at the PostgreSQL database '{database.Name}' on .+; pass --create to make one.$", error.Trim());
        Assert.False(await database.ExistsAsync());

        var (made, key, madeError) = await Cli("keys", "create", "--name", "Ops", "--role", "admin", "--postgres", postgres, "--create");

        Assert.True(made == 0, madeError);
        Assert.StartsWith("mk_", key);
        Assert.True(await database.ExistsAsync());
        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from api_keys where \"Name\" = 'Ops'"));
    }

    private static HttpClient Client(ServiceHost<AuditLog> api, string key)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<(int Code, string Output, string Error)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
