using System.Buffers;
using System.Collections.Immutable;
using System.Numerics;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;
using Moderation.Spam.Training;

namespace Moderation.Spam;

/// <summary>
/// A linear model's pipeline (<see cref="SpamPipeline.Featurize"/> then a calibrated linear learner), and an
/// <see cref="SpamTrainer.Ensemble"/>'s (the same, averaged with <see cref="CompiledTrees"/>), from
/// <see cref="ModelRow"/> to probability in plain C#, with the n-gram dictionaries, IDF weights, scales, categories and
/// weights read out of the loaded ML.NET model. ML.NET spends most of a comment's cost in its row machinery (cursors,
/// getters, decoding its n-gram pool); here it is a table look-up per n-gram. <see cref="SpamModel"/> serves with
/// it only after it has matched ML.NET's own predictions on probe comments (<see cref="Differences"/>), so a model of
/// another shape, or an ML.NET that stores its n-grams differently, is served by ML.NET as before.
/// </summary>
internal sealed class CompiledModel
{
    /// <summary>The transforms, in order, that <see cref="SpamPipeline.Featurize"/> and a linear learner fit to.</summary>
    private static readonly Type[] Shape =
    [
        typeof(WordTokenizingTransformer), typeof(ValueToKeyMappingTransformer), typeof(NgramExtractingTransformer),
        typeof(LpNormNormalizingTransformer), typeof(TokenizingByCharactersTransformer), typeof(NgramExtractingTransformer),
        typeof(LpNormNormalizingTransformer), typeof(NormalizingTransformer), typeof(ValueToKeyMappingTransformer),
        typeof(KeyToVectorMappingTransformer), typeof(ColumnConcatenatingTransformer),
    ];

    private static readonly string[] Categories =
        [nameof(ModelRow.AuthorUrlDomain), nameof(ModelRow.AuthorUrlTld), nameof(ModelRow.EmailDomain), nameof(ModelRow.ElapsedBucket)];

    private const char StartOfText = '\u0002', EndOfText = '\u0003'; // ML.NET's marker characters

    private readonly Dictionary<string, uint>.AlternateLookup<ReadOnlySpan<char>> _wordKeys;
    private readonly NgramTable _wordGrams, _charGrams;
    private readonly uint _charKeyCount;
    private readonly float[] _metaScale, _metaOffset;
    private readonly string[][] _categoryNames;
    private readonly Dictionary<string, int>[] _categories;
    private readonly int _wordsAt, _charsAt, _metaAt;
    private readonly int[] _categoriesAt;
    private readonly int _length;
    private readonly float[] _weights;
    private readonly float _bias;
    private readonly Platt _calibrator;
    private readonly CompiledTrees? _trees;

    /// <param name="wordKeys">Each word of a word n-gram and its key; a word in none is as good as unknown.</param>
    /// <param name="featureNames">The name of every slot of the features ("WordGrams.free|money"), which place the blocks.</param>
    private CompiledModel(Dictionary<string, uint> wordKeys, NgramTable wordGrams, NgramTable charGrams, uint charKeyCount,
        float[] metaScale, float[] metaOffset, string[][] categoryNames, string[] featureNames, float[] weights, float bias,
        Platt calibrator, CompiledTrees? trees)
    {
        _wordKeys = wordKeys.GetAlternateLookup<ReadOnlySpan<char>>();
        (_wordGrams, _charGrams, _charKeyCount) = (wordGrams, charGrams, charKeyCount);
        (_metaScale, _metaOffset) = (metaScale, metaOffset);
        _categoryNames = categoryNames;
        _categories = [.. categoryNames.Select(names => names.Select((name, slot) => (name, slot)).ToDictionary(p => p.name, p => p.slot))];
        FeatureNames = featureNames;

        // Where each block starts in the concatenated features: its first slot is named "{column}.{slot}".
        _length = featureNames.Length;
        var at = new[] { SpamPipeline.WordGrams, SpamPipeline.CharGrams, SpamPipeline.MetaScaled }.Concat(Categories)
            .ToDictionary(c => c, c => Array.FindIndex(featureNames, name => name.StartsWith(c + ".", StringComparison.Ordinal)));
        if (at.ContainsValue(-1)) throw new InvalidOperationException("A block of the features has no named slots.");
        (_wordsAt, _charsAt, _metaAt) = (at[SpamPipeline.WordGrams], at[SpamPipeline.CharGrams], at[SpamPipeline.MetaScaled]);
        _categoriesAt = [.. Categories.Select(c => at[c])];

        (_weights, _bias, _calibrator, _trees) = (weights, bias, calibrator, trees);
        if (_weights.Length != _length) throw new InvalidOperationException($"{_weights.Length} weights for {_length} features.");
    }

    /// <summary>The name of every slot of the features, which the linear learner's reasons are read by.</summary>
    public string[] FeatureNames { get; }

    /// <summary>The linear learner's weight of every slot of the features.</summary>
    public float[] Weights => _weights;

    private static CompiledModel FromMlNet(DataViewSchema schema, NgramExtractingTransformer words, LpNormNormalizingTransformer wordNorm,
        NgramExtractingTransformer chars, LpNormNormalizingTransformer charNorm, NormalizingTransformer meta,
        CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> linear, CompiledTrees? trees)
    {
        var wordGrams = NgramTable.Of(words, wordNorm);
        var used = wordGrams.Keys();
        VBuffer<ReadOnlyMemory<char>> terms = default;
        schema["WordKeys"].GetKeyValues(ref terms);
        var wordKeys = new Dictionary<string, uint>(StringComparer.Ordinal);
        var key = 0u;
        foreach (var term in terms.DenseValues())
            if (used.Contains(++key)) wordKeys[term.ToString()] = key;
        var charKeyCount = (uint)((KeyDataViewType)((VectorDataViewType)schema["CharKeys"].Type).ItemType).Count;

        var affine = (NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>>)meta.GetNormalizerModelParameters(0);
        float[] scale = [.. affine.Scale];
        var offset = affine.Offset.IsDefaultOrEmpty ? new float[scale.Length] : [.. affine.Offset];

        return new CompiledModel(wordKeys, wordGrams, NgramTable.Of(chars, charNorm), charKeyCount, scale, offset,
            [.. Categories.Select(c => SlotNames(schema[c]).ToArray())], [.. SlotNames(schema["Features"])],
            [.. linear.SubModel.Weights], linear.SubModel.Bias, Platt.Of(linear.Calibrator), trees);
    }

    /// <summary>
    /// The model compiled, or null when it is neither a linear model over <see cref="SpamPipeline.Featurize"/>'s features
    /// nor an <see cref="SpamTrainer.Ensemble"/> of one with trees.
    /// </summary>
    public static CompiledModel? TryCompile(MLContext ml, ITransformer scoring)
    {
        var parts = Flatten(scoring).ToArray();
        if (parts.Length < Shape.Length + 1
            || !parts.Take(Shape.Length).Select(p => p.GetType()).SequenceEqual(Shape)
            || parts[Shape.Length] is not ISingleFeaturePredictionTransformer<object> { Model: CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> linear })
            return null;
        // An ensemble goes on: the linear probability set aside, the slot selection, the trees, and the mean of the two.
        var rest = parts.Skip(Shape.Length + 1).ToArray();
        var trees = rest.Length == EnsembleTail.Length && rest.Select(p => p.GetType().Name).SequenceEqual(EnsembleTail)
            && rest[2] is ISingleFeaturePredictionTransformer<object> { Model: CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> gbm }
            ? gbm : null;
        if (rest.Length > 0 && trees is null) return null;
        try
        {
            var schema = scoring.GetOutputSchema(ModelRows.Load(ml, []).Schema);
            return FromMlNet(schema, (NgramExtractingTransformer)parts[2], (LpNormNormalizingTransformer)parts[3],
                (NgramExtractingTransformer)parts[5], (LpNormNormalizingTransformer)parts[6], (NormalizingTransformer)parts[7], linear,
                trees is null ? null : CompiledTrees.Of(ml, rest[1], ((VectorDataViewType)schema["Features"].Type).Size, trees));
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidCastException or ArgumentException or KeyNotFoundException
                                       or NullReferenceException or TargetInvocationException or MissingMemberException
                                       or IndexOutOfRangeException)
        {
            return null; // an ML.NET whose internals differ: served by ML.NET
        }
    }

    /// <summary>
    /// The model compiled, when it predicts what ML.NET predicts for the probe comments (<see cref="Differences"/>), or
    /// null. One that fails on a probe is not served either: ML.NET can serve the model, so the load must not fail for
    /// the compiled path. ML.NET's probabilities for the probes are kept, so the tables written to the model's file can
    /// be checked against them when read back without ML.NET (<see cref="ScoresItsProbes"/>).
    /// </summary>
    public static CompiledModel? TryCompileVerified(MLContext ml, ITransformer scoring)
    {
        if (TryCompile(ml, scoring) is not { } compiled) return null;
        var rows = ProbeComments.Rows.Value;
        // One row object for every probe, each copied with its features' non-zeros only: ML.NET's feature vectors come
        // dense (every slot, large-object-heap sized), and a fresh one per probe put megabytes of garbage on the large
        // object heap, and into the process's peak resident memory, at every load.
        var expected = ml.Data.CreateEnumerable<ModelPrediction>(scoring.Transform(ModelRows.Load(ml, rows)), reuseRowObject: true,
                schemaDefinition: ModelPrediction.Schema(readFeatures: true))
            .Select(p => new ModelPrediction { Score = p.Score, Probability = p.Probability, Features = NonZeroVector(p.Features) })
            .ToList();
        try
        {
            if (compiled.Differences(rows, expected).Count > 0) return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
        compiled._probeProbabilities = [.. expected.Select(p => p.Probability)];
        return compiled;
    }

    /// <summary>ML.NET's probabilities for <see cref="ProbeComments"/>, recorded when the model was verified against it.</summary>
    private float[] _probeProbabilities = [];

    /// <summary>
    /// Whether the tables, read back without ML.NET, still give the probabilities ML.NET gave for the probe comments
    /// (to 1e-5): a build whose features or probes differ from the one that wrote them does not serve them.
    /// </summary>
    public bool ScoresItsProbes()
    {
        var rows = ProbeComments.Rows.Value;
        if (_probeProbabilities.Length != rows.Count) return false;
        try
        {
            return rows.Select((row, i) => Math.Abs(Predict(row).Probability - _probeProbabilities[i]) <= 1e-5).All(same => same);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static VBuffer<float> NonZeroVector(in VBuffer<float> features)
    {
        var nonZero = features.Items().Where(item => item.Value != 0).ToArray();
        return new VBuffer<float>(features.Length, nonZero.Length, [.. nonZero.Select(i => i.Value)], [.. nonZero.Select(i => i.Key)]);
    }

    /// <summary>The tables, for <see cref="Read"/>: what the host serves, without ML.NET's pipeline to load.</summary>
    public void Write(BinaryWriter writer)
    {
        var words = _wordKeys.Dictionary;
        writer.WriteStrings(words.Keys);
        writer.WriteArray<uint>([.. words.Values]);
        _wordGrams.Write(writer);
        _charGrams.Write(writer);
        writer.Write(_charKeyCount);
        writer.WriteArray<float>(_metaScale);
        writer.WriteArray<float>(_metaOffset);
        foreach (var names in _categoryNames) writer.WriteStrings(names);
        writer.WriteStrings(FeatureNames);
        writer.WriteArray<float>(_weights);
        writer.Write(_bias);
        _calibrator.Write(writer);
        writer.Write(_trees is not null);
        _trees?.Write(writer);
        writer.WriteArray<float>(_probeProbabilities);
    }

    /// <exception cref="InvalidDataException">The tables are damaged or of another shape.</exception>
    public static CompiledModel Read(BinaryReader reader)
    {
        var words = reader.ReadStrings();
        var keys = reader.ReadArray<uint>();
        if (keys.Length != words.Length) throw new InvalidDataException($"{words.Length} words with {keys.Length} keys.");
        var wordKeys = new Dictionary<string, uint>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++) wordKeys[words[i]] = keys[i];
        try
        {
            return new CompiledModel(wordKeys, NgramTable.Read(reader), NgramTable.Read(reader), reader.ReadUInt32(),
                reader.ReadArray<float>(), reader.ReadArray<float>(), [.. Categories.Select(_ => reader.ReadStrings())], reader.ReadStrings(),
                reader.ReadArray<float>(), reader.ReadSingle(), Platt.Read(reader), reader.ReadBoolean() ? CompiledTrees.Read(reader) : null)
            {
                _probeProbabilities = reader.ReadArray<float>(),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"The compiled tables do not fit together: {ex.Message}", ex);
        }
    }

    /// <summary>What follows the linear learner in an <see cref="SpamTrainer.Ensemble"/> (<see cref="SpamPipeline.Fit"/>), by type name.</summary>
    private static readonly string[] EnsembleTail =
        ["ColumnCopyingTransformer", "SlotsDroppingTransformer", "BinaryPredictionTransformer`1", "ColumnCopyingTransformer", "ExpressionTransformer"];

    private static IEnumerable<ITransformer> Flatten(ITransformer t) => t is TransformerChain<ITransformer> chain ? chain.SelectMany(Flatten) : [t];

    /// <summary>Score, probability and features of one row, as ML.NET's pipeline computes them (up to float rounding).</summary>
    public ModelPrediction Predict(ModelRow row)
    {
        var features = new SparseFeatures();
        AddWordGrams(row.Words, features);
        AddCharGrams(row.Chars, features);
        for (var m = 0; m < _metaScale.Length; m++)
        {
            var value = (row.Meta[m] - _metaOffset[m]) * _metaScale[m];
            if (value != 0) features.Add(_metaAt + m, value);
        }
        string[] categories = [row.AuthorUrlDomain, row.AuthorUrlTld, row.EmailDomain, row.ElapsedBucket];
        for (var c = 0; c < categories.Length; c++)
            if (_categories[c].TryGetValue(categories[c], out var slot)) features.Add(_categoriesAt[c] + slot, 1);

        var vector = features.ToVBuffer(_length);
        var score = _bias;
        var values = vector.GetValues();
        var indices = vector.GetIndices();
        for (var k = 0; k < values.Length; k++) score += values[k] * _weights[indices[k]];
        var probability = _calibrator.Probability(score);
        if (_trees is null) return new ModelPrediction { Score = score, Probability = probability, Features = vector };
        // An ensemble's score is the trees' (their columns hide the linear learner's), its probability the mean of both.
        var (treeScore, treeProbability) = _trees.Predict(vector);
        return new ModelPrediction { Score = treeScore, Probability = (probability + treeProbability) / 2, Features = vector };
    }

    /// <summary>Word uni- and bigrams of the space-separated tokens; a word the model never saw breaks no n-gram but matches none.</summary>
    private void AddWordGrams(string text, SparseFeatures features)
    {
        var keys = ArrayPool<uint>.Shared.Rent(text.Length / 2 + 1); // at most one token per two characters
        var n = 0;
        foreach (var range in text.AsSpan().Split(' '))
        {
            var token = text.AsSpan(range);
            if (!token.IsEmpty) keys[n++] = _wordKeys.TryGetValue(token, out var key) ? key : 0;
        }
        _wordGrams.AddCounts(keys.AsSpan(0, n), _wordsAt, features);
        ArrayPool<uint>.Shared.Return(keys);
    }

    /// <summary>Character 1- to 4-grams of the text between ML.NET's start and end markers; an empty text has none.</summary>
    private void AddCharGrams(string text, SparseFeatures features)
    {
        if (text.Length == 0) return;
        var keys = ArrayPool<uint>.Shared.Rent(text.Length + 2);
        keys[0] = StartOfText;
        for (var i = 0; i < text.Length; i++) keys[i + 1] = text[i] <= _charKeyCount ? text[i] : 0u; // a char is its own key
        keys[text.Length + 1] = EndOfText;
        _charGrams.AddCounts(keys.AsSpan(0, text.Length + 2), _charsAt, features);
        ArrayPool<uint>.Shared.Return(keys);
    }

    /// <summary>
    /// Where this model's predictions differ from ML.NET's for the same rows (score by more than 1e-4, probability or a
    /// feature by more than 1e-5, or a feature present in one and not the other); empty when they agree.
    /// </summary>
    public IReadOnlyList<string> Differences(IReadOnlyList<ModelRow> rows, IEnumerable<ModelPrediction> expected)
    {
        var differences = new List<string>();
        var n = 0;
        foreach (var theirs in expected)
        {
            if (n == rows.Count) return [.. differences, $"more predictions than the {rows.Count} rows"];
            var ours = Predict(rows[n]);
            var where = $"row {n} ('{Truncate(rows[n].Chars)}')";
            if (Math.Abs(ours.Score - theirs.Score) > 1e-4) differences.Add($"{where}: score {ours.Score} against ML.NET's {theirs.Score}");
            if (Math.Abs(ours.Probability - theirs.Probability) > 1e-5) differences.Add($"{where}: probability {ours.Probability} against {theirs.Probability}");
            var mine = NonZero(ours.Features);
            var theirFeatures = NonZero(theirs.Features);
            foreach (var index in mine.Keys.Union(theirFeatures.Keys).Order())
            {
                var (a, b) = (mine.GetValueOrDefault(index), theirFeatures.GetValueOrDefault(index));
                if (Math.Abs(a - b) > 1e-5) differences.Add($"{where}: feature {index} is {a} against ML.NET's {b}");
            }
            n++;
        }
        if (n != rows.Count) differences.Add($"{n} predictions for {rows.Count} rows");
        return differences;
    }

    /// <summary>The non-zero features by index; ML.NET's vectors of ~100k features come dense, hence the plain loop.</summary>
    private static Dictionary<int, float> NonZero(in VBuffer<float> features)
    {
        var nonZero = new Dictionary<int, float>();
        var values = features.GetValues();
        var indices = features.GetIndices();
        for (var k = 0; k < values.Length; k++)
            if (values[k] != 0) nonZero[features.IsDense ? k : indices[k]] = values[k];
        return nonZero;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    internal static IEnumerable<string> SlotNames(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString());
    }

    /// <summary>
    /// One n-gram dictionary: each n-gram of keys packed into a 64-bit number (keys are never 0 in it, so lengths cannot
    /// collide) in an open-addressing table, its slot, and the slot's inverse document frequency (TF-IDF weighting),
    /// read from ML.NET's transform. A look-up per n-gram is most of a comment's cost, hence the table of its own:
    /// one probe of one array, where a <see cref="Dictionary{TKey,TValue}"/> reads a bucket and then an entry.
    /// </summary>
    private sealed class NgramTable
    {
        private readonly Entry[] _table;
        private readonly int _shift;
        private readonly double[] _idf;
        private readonly int _maxLength, _bits;
        private readonly float _scale;

        /// <summary>
        /// Whether every known n-gram's prefix is known too (true of a dictionary built from every length up to the
        /// longest): then a look-up that misses ends the longer ones from the same position, which would miss as well.
        /// </summary>
        private readonly bool _prefixClosed;

        [ThreadStatic] private static int[]? t_counts;
        [ThreadStatic] private static List<int>? t_touched;

        private record struct Entry(ulong Key, int Slot);

        private NgramTable(uint[][] ngrams, double[] idf, int maxLength, int bits, float scale)
        {
            (_idf, _maxLength, _bits, _scale) = (idf, maxLength, bits, scale);
            var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, ngrams.Length * 2));
            _table = new Entry[capacity];
            _shift = 64 - BitOperations.Log2((uint)capacity);
            var packed = new HashSet<ulong>();
            for (var slot = 0; slot < ngrams.Length; slot++)
            {
                var key = Pack(ngrams[slot], ngrams[slot].Length);
                if (!packed.Add(key)) throw new InvalidOperationException("Two n-grams pack alike.");
                var i = Home(key);
                while (_table[i].Key != 0) i = (i + 1) & (_table.Length - 1);
                _table[i] = new Entry(key, slot);
            }
            _prefixClosed = ngrams.All(g => g.Length == 1 || packed.Contains(Pack(g, g.Length - 1)));
        }

        /// <summary>
        /// Reads the transform's n-gram pool and IDF weights. They are private to ML.NET, hence reflection; the probe
        /// comparison in <see cref="SpamModel"/> catches an ML.NET that keeps them otherwise. The block is then scaled to
        /// the norm's length: plain L2 (1) or the pipeline's <see cref="SpamPipeline.TextScale"/>.
        /// </summary>
        public static NgramTable Of(NgramExtractingTransformer transform, LpNormNormalizingTransformer norm)
        {
            const BindingFlags hidden = BindingFlags.NonPublic | BindingFlags.Instance;
            // The norm's settings are internal to ML.NET as well: Norm L2, not centred, and the block's length (Scale).
            var options = ((System.Collections.IEnumerable)typeof(LpNormNormalizingTransformer).GetProperty("Columns", hidden)!.GetValue(norm)!)
                .Cast<object>().Single();
            object Setting(string name) => options.GetType().GetField(name, hidden | BindingFlags.Public)!.GetValue(options)!;
            if (Setting("Norm").ToString() != "L2" || (bool)Setting("EnsureZeroMean"))
                throw new InvalidOperationException($"Not a plain L2 norm: {Setting("Norm")}, centred {Setting("EnsureZeroMean")}.");
            var pool = ((Array)typeof(NgramExtractingTransformer).GetField("_ngramMaps", hidden)!.GetValue(transform)!).GetValue(0)!;
            var idf = ((double[][])typeof(NgramExtractingTransformer).GetField("_invDocFreqs", hidden)!.GetValue(transform)!)[0];
            var count = (int)pool.GetType().GetProperty("Count")!.GetValue(pool)!;
            var getById = pool.GetType().GetMethod("GetById")!;
            if (idf is null || idf.Length < count) throw new InvalidOperationException($"Not TF-IDF weighted: {idf?.Length} weights for {count} n-grams.");

            var ngrams = new uint[count][];
            for (var slot = 0; slot < count; slot++)
            {
                var args = new object?[] { slot, null };
                var length = (int)getById.Invoke(pool, args)!;
                ngrams[slot] = ((uint[])args[1]!)[..length];
            }
            var maxLength = ngrams.Max(g => g.Length);
            var bits = 64 / maxLength;
            if (ngrams.Any(g => g.Any(k => k == 0 || (bits < 32 && k >> bits != 0)))) throw new InvalidOperationException("An n-gram key does not pack.");
            return new NgramTable(ngrams, idf, maxLength, bits, (float)Setting("Scale"));
        }

        /// <summary>Every key in an n-gram of the table.</summary>
        public HashSet<uint> Keys() => [.. Ngrams().SelectMany(g => g)];

        /// <summary>The n-grams by slot, unpacked from the table.</summary>
        private IEnumerable<uint[]> Ngrams()
        {
            var mask = _bits == 64 ? ulong.MaxValue : (1ul << _bits) - 1;
            return _table.Where(e => e.Key != 0).OrderBy(e => e.Slot).Select(e =>
            {
                var keys = new List<uint>(_maxLength);
                for (var packed = e.Key; packed != 0; packed = _bits == 64 ? 0 : packed >> _bits) keys.Add((uint)(packed & mask));
                keys.Reverse();
                return keys.ToArray();
            });
        }

        public void Write(BinaryWriter writer)
        {
            var ngrams = Ngrams().ToArray();
            writer.Write(ngrams.Length);
            foreach (var ngram in ngrams) writer.WriteArray<uint>(ngram);
            writer.WriteArray<double>(_idf);
            writer.Write(_maxLength);
            writer.Write(_bits);
            writer.Write(_scale);
        }

        public static NgramTable Read(BinaryReader reader)
        {
            var ngrams = new uint[reader.ReadCount(sizeof(int))][];
            for (var slot = 0; slot < ngrams.Length; slot++) ngrams[slot] = reader.ReadArray<uint>();
            var idf = reader.ReadArray<double>();
            var (maxLength, bits, scale) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle());
            if (idf.Length < ngrams.Length || maxLength is < 1 or > 64 || bits != 64 / maxLength || ngrams.Any(g => g.Length is 0 || g.Length > maxLength))
                throw new InvalidDataException("An n-gram table of another shape.");
            return new NgramTable(ngrams, idf, maxLength, bits, scale);
        }

        private ulong Pack(uint[] keys, int length)
        {
            var packed = 0ul;
            for (var i = 0; i < length; i++) packed = (packed << _bits) | keys[i];
            return packed;
        }

        private int Home(ulong key) => (int)((key * 0x9E3779B97F4A7C15ul) >> _shift); // Fibonacci hashing

        private int SlotOf(ulong key)
        {
            for (var i = Home(key); ; i = (i + 1) & (_table.Length - 1))
            {
                var entry = _table[i];
                if (entry.Key == key) return entry.Slot;
                if (entry.Key == 0) return -1;
            }
        }

        /// <summary>
        /// Counts every n-gram of 1 to the longest length starting at each position (as ML.NET's NgramBufferBuilder does),
        /// then weighs each count by its IDF and scales the block to L2 norm <c>_scale</c> (the pipeline's normalisation).
        /// </summary>
        public void AddCounts(ReadOnlySpan<uint> keys, int offset, SparseFeatures features)
        {
            var counts = t_counts is { } c && c.Length >= _idf.Length ? c : t_counts = new int[_idf.Length];
            var touched = t_touched ??= new List<int>(1024);
            touched.Clear();
            for (var start = 0; start < keys.Length; start++)
            {
                var packed = 0ul;
                for (var length = 1; length <= _maxLength && start + length <= keys.Length; length++)
                {
                    var key = keys[start + length - 1];
                    if (key == 0 || (_bits < 32 && key >> _bits != 0)) break; // unknown: no longer n-gram from here is known either
                    packed = (packed << _bits) | key;
                    var slot = SlotOf(packed);
                    if (slot < 0)
                    {
                        if (_prefixClosed) break;
                        continue;
                    }
                    if (counts[slot]++ == 0) touched.Add(slot);
                }
            }
            var sumOfSquares = 0f;
            foreach (var slot in touched)
            {
                var value = (float)(counts[slot] * _idf[slot]);
                sumOfSquares += value * value;
            }
            var norm = MathF.Sqrt(sumOfSquares) / _scale;
            foreach (var slot in touched)
            {
                var value = (float)(counts[slot] * _idf[slot]);
                counts[slot] = 0;
                if (value != 0) features.Add(offset + slot, norm > 0 ? value / norm : value);
            }
        }
    }

    /// <summary>The features found, put in index order at the end.</summary>
    private sealed class SparseFeatures
    {
        private readonly List<int> _indices = new(256);
        private readonly List<float> _values = new(256);

        public void Add(int index, float value)
        {
            _indices.Add(index);
            _values.Add(value);
        }

        public VBuffer<float> ToVBuffer(int length)
        {
            int[] indices = [.. _indices];
            float[] values = [.. _values];
            Array.Sort(indices, values);
            return new(length, indices.Length, values, indices);
        }
    }
}
