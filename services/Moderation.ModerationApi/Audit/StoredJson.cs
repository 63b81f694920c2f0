using System.Text.Json;

namespace Moderation.ModerationApi.Audit;

/// <summary>JSON kept as text in a column (audit before/after, model metrics), handed back as a JSON value.</summary>
public static class StoredJson
{
    /// <summary>The value, or null when the text is absent or not JSON.</summary>
    public static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
