using System.Net;
using System.Text.Json.Nodes;

namespace Moderation.FunctionalTests.Infrastructure;

public static class Problems
{
    /// <summary>
    /// Asserts an RFC 9457 problem response with the given status and, when <paramref name="field"/> is given,
    /// an <c>errors</c> entry with at least one message for that field. Returns the problem document.
    /// </summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]), $"problem without a title: {text}");
        if (field is not null)
        {
            var errors = problem["errors"]?.AsObject();
            Assert.True(errors is not null && errors.ContainsKey(field), $"expected errors.{field}: {text}");
            Assert.NotEmpty(errors[field]!.AsArray());
        }
        return problem;
    }
}
