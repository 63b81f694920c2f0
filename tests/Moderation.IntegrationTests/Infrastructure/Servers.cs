using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>
/// The real servers the tests run against, started by the test command (deploy/local/start.sh).
/// A server that is not there fails the test with a message saying how to start it: never a skip.
/// </summary>
public static class Servers
{
    public static string Postgres => Env("ConnectionStrings__postgres", "Host=127.0.0.1;Port=5432;Username=moderation;Password=moderation;Database=moderation");
    public static string Redis => Env("ConnectionStrings__redis", "127.0.0.1:6379");
    public static Uri RabbitMq => new(Env("ConnectionStrings__rabbitmq", "amqp://guest:guest@127.0.0.1:5672/"));
    public static Uri RabbitMqManagement => new(Env("MODERATION_RABBITMQ_MANAGEMENT", "http://guest:guest@127.0.0.1:15672"));

    public static (string Host, int Port) RedisEndpoint
    {
        get
        {
            var hostPort = Redis.Split(',')[0].Split(':');
            return (hostPort[0], hostPort.Length > 1 ? int.Parse(hostPort[1]) : 6379);
        }
    }

    public static (string Host, int Port) PostgresEndpoint
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(Postgres);
            return (b.Host ?? "127.0.0.1", b.Port);
        }
    }

    public static async Task RequireAsync(string name, string host, int port)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port).WaitAsync(TimeSpan.FromSeconds(3));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"{name} is not reachable at {host}:{port} ({ex.Message}). Start the servers with deploy/local/start.sh, or run ./test.sh.", ex);
        }
    }

    /// <summary>The management API with the credentials in its URI.</summary>
    public static HttpClient Management()
    {
        var uri = RabbitMqManagement;
        var client = new HttpClient { BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority)) };
        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        return client;
    }

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
