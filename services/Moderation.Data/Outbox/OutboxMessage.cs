using System.Text.Json;
using Moderation.Contracts;

namespace Moderation.Data.Outbox;

/// <summary>
/// An event to publish, stored in the same transaction as the change it announces, so that a crash or a broker
/// outage between the commit and the publish cannot lose it. Deleted once the broker has confirmed it.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    /// <summary>The contract's name in <c>Moderation.Contracts</c> (<c>CommentPublished</c>, …).</summary>
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Failed publishes so far, the last one's error, and when the dispatcher tries again.</summary>
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTime NextAttemptAt { get; set; }

    public static OutboxMessage For(object message, DateTime now)
    {
        var type = message.GetType();
        if (ContractTypes.Find(type.Name) != type)
            throw new ArgumentException($"{type.FullName} is not a message contract of Moderation.Contracts.", nameof(message));
        return new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            MessageType = type.Name,
            Body = JsonSerializer.Serialize(message, type, ContractTypes.Json),
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    /// <summary>The message again, as its contract type.</summary>
    public object ToMessage() =>
        JsonSerializer.Deserialize(Body, ContractTypes.Find(MessageType)
            ?? throw new InvalidOperationException($"Unknown message type '{MessageType}'."), ContractTypes.Json)!;
}

/// <summary>Message type names to the records of <c>contracts/Moderation.Contracts</c>.</summary>
public static class ContractTypes
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, Type> ByName = typeof(CommentPublished).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == typeof(CommentPublished).Namespace && !t.IsAbstract)
        .ToDictionary(t => t.Name);

    public static Type? Find(string name) => ByName.GetValueOrDefault(name);
}
