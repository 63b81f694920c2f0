using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Moderation.Scoring.Rules;

/// <summary>
/// A text as a set of hashed character 5-grams (of its fingerprint form), compared by Jaccard similarity,
/// with a MinHash signature for finding likely copies among many without comparing against each.
/// </summary>
public sealed class Shingles
{
    public const int Length = 5;
    public const int MaxTextLength = 1000;
    public const int SignatureSize = 32;

    private Shingles(HashSet<ulong> set) => Set = set;

    public HashSet<ulong> Set { get; }

    public static Shingles Of(string fingerprintText)
    {
        var text = fingerprintText.Length > MaxTextLength ? fingerprintText[..MaxTextLength] : fingerprintText;
        var bytes = MemoryMarshal.AsBytes(text.AsSpan());
        var set = new HashSet<ulong>();
        for (var i = 0; i + Length * sizeof(char) <= bytes.Length; i += sizeof(char))
            set.Add(XxHash64.HashToUInt64(bytes.Slice(i, Length * sizeof(char))));
        return new Shingles(set);
    }

    public double Jaccard(Shingles other)
    {
        if (Set.Count == 0 || other.Set.Count == 0) return 0;
        var common = Set.Count <= other.Set.Count ? Set.Count(other.Set.Contains) : other.Set.Count(Set.Contains);
        return (double)common / (Set.Count + other.Set.Count - common);
    }

    /// <summary>For each of <see cref="SignatureSize"/> hash functions, the smallest hash of any shingle.</summary>
    public ulong[] MinHashSignature()
    {
        var signature = new ulong[SignatureSize];
        Array.Fill(signature, ulong.MaxValue);
        Span<byte> buffer = stackalloc byte[8];
        foreach (var shingle in Set)
        {
            BitConverter.TryWriteBytes(buffer, shingle);
            for (var i = 0; i < SignatureSize; i++)
            {
                var h = XxHash64.HashToUInt64(buffer, seed: i + 1);
                if (h < signature[i]) signature[i] = h;
            }
        }
        return signature;
    }

    /// <summary>The set as stored beside a recent comment, so a candidate can be checked exactly.</summary>
    public byte[] ToBytes() => MemoryMarshal.AsBytes(Set.ToArray().AsSpan()).ToArray();

    public static Shingles FromBytes(ReadOnlySpan<byte> bytes) => new([.. MemoryMarshal.Cast<byte, ulong>(bytes)]);
}
