using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Moderation.FunctionalTests.Infrastructure;

/// <summary>What the widget does over HTTP, with the assertions every test would otherwise repeat.</summary>
public sealed class CommentsClient(HttpClient http)
{
    public const string FriendlyBody =
        "Thanks for the careful reporting on the council budget. The chart of spending by ward made it easy to follow.";

    public HttpClient Http => http;

    public static string NewThread() => $"news/{Guid.NewGuid():N}";

    /// <summary>A comment the rules and the score let through.</summary>
    public static JsonObject Friendly(string threadId, string siteId = StandaloneApp.Site) => new()
    {
        ["siteId"] = siteId,
        ["threadId"] = threadId,
        ["threadUrl"] = $"{StandaloneApp.OriginOf(siteId)}/{threadId}",
        ["threadTitle"] = "Council agrees next year's budget",
        ["authorName"] = "Ada Reader",
        ["authorEmail"] = "ada@example.com",
        ["body"] = FriendlyBody,
        ["honeypot"] = "",
        ["elapsedMs"] = 40_000,
    };

    public static StringContent Json(JsonNode body) => Json(body.ToJsonString());

    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    public Task<HttpResponseMessage> PostAsync(JsonNode body, string? origin = null) => PostAsync(Json(body), origin);

    public Task<HttpResponseMessage> PostAsync(HttpContent content, string? origin = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/comments") { Content = content };
        if (origin is not null) request.Headers.Add("Origin", origin);
        configure?.Invoke(request);
        return http.SendAsync(request);
    }

    /// <summary>Posts and asserts the 202: the id, "pending", and the status link in the body and in Location.</summary>
    public async Task<Submitted> SubmitAsync(JsonObject body, Action<HttpRequestMessage>? configure = null)
    {
        var response = await PostAsync(Json(body), configure: configure);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {text}");
        var json = JsonNode.Parse(text)!.AsObject();
        var id = Guid.Parse((string)json["id"]!);
        var statusUrl = (string)json["statusUrl"]!;
        Assert.Equal("pending", (string?)json["status"]);
        Assert.StartsWith($"/api/v1/comments/{id}/status?token=", statusUrl);
        Assert.Equal(statusUrl, response.Headers.Location?.OriginalString);
        return new Submitted(id, statusUrl);
    }

    public async Task<string> StatusAsync(string statusUrl)
    {
        var response = await http.GetAsync(statusUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!;
    }

    /// <summary>Waits until the comment is no longer pending and asserts where it ended up.</summary>
    public async Task AssertBecomesAsync(Submitted comment, string expected)
    {
        var status = await Eventually.Until(() => StatusAsync(comment.StatusUrl), s => s != "pending", $"comment {comment.Id} to be scored");
        Assert.Equal(expected, status);
    }

    public static string ThreadUrl(string threadId, string? cursor = null, int? limit = null, string siteId = StandaloneApp.Site)
    {
        var url = $"/api/v1/comments?siteId={Uri.EscapeDataString(siteId)}&threadId={Uri.EscapeDataString(threadId)}";
        if (cursor is not null) url += $"&cursor={Uri.EscapeDataString(cursor)}";
        if (limit is not null) url += $"&limit={limit}";
        return url;
    }

    public async Task<ThreadResponse> GetThreadAsync(string threadId, string? cursor = null, int? limit = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ThreadUrl(threadId, cursor, limit));
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotModified, $"GET thread: {(int)response.StatusCode} {text}");
        var etag = response.Headers.ETag?.ToString();
        return new ThreadResponse(response.StatusCode, etag, text, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(text)!.AsObject() : null);
    }

    /// <summary>Polls the thread until <paramref name="done"/> holds for its first page.</summary>
    public async Task<JsonObject> WaitForThreadAsync(string threadId, Func<JsonObject, bool> done, string waitingFor, TimeSpan? timeout = null)
    {
        var page = await Eventually.Until(async () => (await GetThreadAsync(threadId)).Json!, done, waitingFor, timeout);
        return page;
    }

    public static IReadOnlyList<JsonObject> CommentsOf(JsonObject page) =>
        [.. page["comments"]!.AsArray().Select(c => c!.AsObject())];

    public static IReadOnlyList<Guid> IdsOf(JsonObject page) =>
        [.. CommentsOf(page).Select(c => Guid.Parse((string)c["id"]!))];
}

public sealed record Submitted(Guid Id, string StatusUrl);

public sealed record ThreadResponse(HttpStatusCode Status, string? ETag, string Text, JsonObject? Json);
