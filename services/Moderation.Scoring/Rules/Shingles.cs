using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Moderation.Scoring.Rules;

/// <summary>
/// A text as a set of hashed character 5-grams (of its fingerprint form), compared by Jaccard similarity,
/// with a MinHash signature for finding likely copies among many without comparing against each.
/// The set is kept as a sorted array, so two sets are compared by one merge, without hashing or allocating.
/// </summary>
public sealed class Shingles
{
    public const int Length = 5;
    public const int MaxTextLength = 1000;
    public const int SignatureSize = 32;

    private readonly ulong[] _sorted;

    private Shingles(ulong[] sorted) => _sorted = sorted;

    /// <summary>How many distinct 5-grams the text has.</summary>
    public int Count => _sorted.Length;

    public static Shingles Of(string fingerprintText)
    {
        var text = fingerprintText.Length > MaxTextLength ? fingerprintText[..MaxTextLength] : fingerprintText;
        var bytes = MemoryMarshal.AsBytes(text.AsSpan());
        var hashes = new ulong[Math.Max(0, text.Length - Length + 1)];
        for (var i = 0; i < hashes.Length; i++)
            hashes[i] = XxHash64.HashToUInt64(bytes.Slice(i * sizeof(char), Length * sizeof(char)));
        return new Shingles(SortedDistinct(hashes));
    }

    public double Jaccard(Shingles other) => Jaccard(_sorted, other._sorted);

    /// <summary>The similarity to a set as stored by <see cref="ToBytes"/>, read in place.</summary>
    public double Jaccard(ReadOnlySpan<byte> stored)
    {
        var other = MemoryMarshal.Cast<byte, ulong>(stored);
        // Sets stored before they were kept sorted (a rolling upgrade within the duplicate window) are sorted here.
        return Jaccard(_sorted, IsSortedDistinct(other) ? other : SortedDistinct(other.ToArray()));
    }

    /// <summary>For each of <see cref="SignatureSize"/> hash functions, the smallest hash of any shingle.</summary>
    public ulong[] MinHashSignature()
    {
        var signature = new ulong[SignatureSize];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var shingle in _sorted)
        {
            for (var i = 0; i < SignatureSize; i++)
            {
                var h = Mix(shingle ^ Seeds[i]);
                if (h < signature[i]) signature[i] = h;
            }
        }
        return signature;
    }

    // The shingles are already 64-bit hashes; each function is a seed XORed in and SplitMix64's finalizer (a
    // bijection in which every input bit changes about half the output bits): as good a permutation for MinHash
    // as hashing each shingle again per function, at a few instructions instead of a call.
    private static readonly ulong[] Seeds = [.. Enumerable.Range(1, SignatureSize).Select(i => Mix((ulong)i * 0x9E3779B97F4A7C15UL))];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The set as stored beside a recent comment, so a candidate can be checked exactly.</summary>
    public byte[] ToBytes() => MemoryMarshal.AsBytes(_sorted.AsSpan()).ToArray();

    public static Shingles FromBytes(ReadOnlySpan<byte> bytes) => new(SortedDistinct(MemoryMarshal.Cast<byte, ulong>(bytes).ToArray()));

    private static double Jaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { common++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return (double)common / (a.Length + b.Length - common);
    }

    private static ulong[] SortedDistinct(ulong[] values)
    {
        if (values.Length == 0) return values;
        Array.Sort(values);
        var n = 1;
        for (var i = 1; i < values.Length; i++)
            if (values[i] != values[n - 1]) values[n++] = values[i];
        return n == values.Length ? values : values[..n];
    }

    private static bool IsSortedDistinct(ReadOnlySpan<ulong> values)
    {
        for (var i = 1; i < values.Length; i++)
            if (values[i] <= values[i - 1]) return false;
        return true;
    }
}
