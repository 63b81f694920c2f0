using System.Runtime.InteropServices;

namespace Moderation.Spam;

/// <summary>
/// Arrays in and out of a <see cref="CompiledModel"/>'s entry of the model file: a count, then the items. A count past
/// what is left of the entry is refused before anything is allocated, so a damaged entry fails fast and small.
/// </summary>
internal static class CompiledFormat
{
    public static void WriteArray<T>(this BinaryWriter writer, ReadOnlySpan<T> items) where T : unmanaged
    {
        writer.Write(items.Length);
        writer.Write(MemoryMarshal.AsBytes(items));
    }

    public static T[] ReadArray<T>(this BinaryReader reader) where T : unmanaged
    {
        var count = reader.ReadCount(Marshal.SizeOf<T>());
        var items = new T[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(items.AsSpan()));
        return items;
    }

    public static void WriteStrings(this BinaryWriter writer, IReadOnlyCollection<string> items)
    {
        writer.Write(items.Count);
        foreach (var item in items) writer.Write(item);
    }

    public static string[] ReadStrings(this BinaryReader reader)
    {
        var items = new string[reader.ReadCount(1)];
        for (var i = 0; i < items.Length; i++) items[i] = reader.ReadString();
        return items;
    }

    /// <summary>A count of items of at least <paramref name="itemSize"/> bytes each that the rest of the entry can hold.</summary>
    public static int ReadCount(this BinaryReader reader, int itemSize)
    {
        var count = reader.ReadInt32();
        var left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || (long)count * itemSize > left) throw new InvalidDataException($"A count of {count} where {left} bytes are left.");
        return count;
    }
}
