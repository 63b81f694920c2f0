using System.Buffers.Binary;
using System.Buffers.Text;

namespace Moderation.ReadApi.Threads;

/// <summary>Where a page ends: the last comment's time and id, opaque to clients.</summary>
public readonly record struct PageCursor(DateTime After, Guid AfterId)
{
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, After.Ticks);
        AfterId.TryWriteBytes(bytes[8..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out PageCursor cursor)
    {
        cursor = default;
        Span<byte> bytes = stackalloc byte[24];
        // TryDecodeFromChars throws on characters outside the alphabet (its "Try" is only about the
        // destination's size), so check the text first: a garbled cursor is the client's error, not ours.
        if (string.IsNullOrEmpty(text) || text.Length != 32
            || !Base64Url.IsValid(text.AsSpan(), out var length) || length != 24
            || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != 24)
            return false;
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        cursor = new PageCursor(new DateTime(ticks, DateTimeKind.Utc), new Guid(bytes[8..]));
        return true;
    }
}
