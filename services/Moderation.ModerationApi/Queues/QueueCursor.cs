using System.Buffers.Binary;
using System.Buffers.Text;

namespace Moderation.ModerationApi.Queues;

/// <summary>
/// Where a queue page ends: the sort it belongs to, the last item's sort key (submission time in ticks, or
/// the score's bits) and its id. Opaque to clients; a cursor from another sort is refused rather than misread.
/// </summary>
public readonly record struct QueueCursor(QueueSort Sort, long Key, Guid Id)
{
    private const int Size = 1 + 8 + 16;

    public DateTime Time => new(Key, DateTimeKind.Utc);

    public double Score => BitConverter.Int64BitsToDouble(Key);

    public static QueueCursor After(QueueSort sort, DateTime submittedAt, double? score, Guid id) =>
        new(sort, sort is QueueSort.Score or QueueSort.ScoreAsc ? BitConverter.DoubleToInt64Bits(score ?? 0) : submittedAt.Ticks, id);

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Size];
        bytes[0] = (byte)Sort;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], Key);
        Id.TryWriteBytes(bytes[9..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string text, QueueSort sort, out QueueCursor cursor)
    {
        cursor = default;
        Span<byte> bytes = stackalloc byte[Size];
        // Check the alphabet first: TryDecodeFromChars throws on foreign characters.
        if (!Base64Url.IsValid(text.AsSpan(), out var length) || length != Size
            || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != Size
            || bytes[0] != (byte)sort)
            return false;
        var key = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (sort is QueueSort.Newest or QueueSort.Oldest && (key < DateTime.MinValue.Ticks || key > DateTime.MaxValue.Ticks)) return false;
        if (sort is QueueSort.Score or QueueSort.ScoreAsc && !double.IsFinite(BitConverter.Int64BitsToDouble(key))) return false;
        cursor = new QueueCursor(sort, key, new Guid(bytes[9..]));
        return true;
    }
}
