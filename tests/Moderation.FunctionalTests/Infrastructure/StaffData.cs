using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Data;
using Moderation.Data.Comments;

namespace Moderation.FunctionalTests.Infrastructure;

/// <summary>Comments stored as the scorer would have left them, and the staff API's answers read as JSON.</summary>
public static class StaffData
{
    public const string Email = "ada@example.com";
    public const string Ip = "203.0.113.5";

    public static Comment Scored(string thread, CommentStatus status, double score = 0.6, string site = StandaloneApp.Site,
        DateTime? at = null, string email = Email, string? ip = Ip, Guid? parentId = null, params string[] reasons) => new()
    {
        Id = Guid.CreateVersion7(),
        SiteId = site,
        ThreadId = thread,
        ThreadTitle = "Council agrees next year's budget",
        ThreadUrl = $"https://news.example/{thread}",
        ParentId = parentId,
        AuthorName = "Ada Reader",
        AuthorEmail = email,
        EmailHash = CommentMapping.HashEmail(email),
        Body = CommentsClient.FriendlyBody,
        ClientIp = ip,
        UserAgent = "Probe/1.0",
        SubmittedAt = at ?? DateTime.UtcNow,
        ScoredAt = DateTime.UtcNow,
        PublishedAt = status == CommentStatus.Approved ? DateTime.UtcNow : null,
        Status = status,
        SpamScore = score,
        ModelVersion = "heuristic-1",
        ApproveBelowUsed = 0.5,
        RejectAboveUsed = 0.9,
        Reasons = reasons.Length > 0 ? [.. reasons] : ["first comment from this address"],
    };

    public static async Task<List<Comment>> StoreAsync(this StandaloneApp app, IEnumerable<Comment> comments)
    {
        var list = comments.ToList();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        db.Comments.AddRange(list);
        await db.SaveChangesAsync();
        return list;
    }

    public static async Task<Comment> StoreAsync(this StandaloneApp app, Comment comment) => (await app.StoreAsync([comment]))[0];

    /// <summary>Runs a query on the host's database.</summary>
    public static async Task<T> QueryAsync<T>(this StandaloneApp app, Func<ModerationDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ModerationDb>());
    }

    public static Task<int> AuditCountAsync(this StandaloneApp app, string action, Guid commentId) =>
        app.QueryAsync(db => db.Audit.CountAsync(a => a.Action == action && a.TargetId == commentId.ToString()));

    public static async Task<JsonObject> OkJsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string url) => await (await client.GetAsync(url)).OkJsonAsync();

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static List<Guid> Ids(JsonObject page) => [.. page["items"]!.AsArray().Select(i => Guid.Parse((string)i!["id"]!))];

    public static Task<HttpResponseMessage> DecideAsync(this HttpClient staff, Guid id, string decision, int? revision = null, string? reason = null) =>
        staff.PostAsJsonAsync($"/api/v1/moderation/comments/{id}/decision", new { decision, reason, revision });
}
