using Moderation.Scoring.Rules;
using Moderation.Spam.Text;
using Moderation.Spam.Text.Unicode;

namespace Moderation.UnitTests.Scoring;

/// <summary>The text the word and copy rules compare: invisible characters dropped, look-alike letters folded.</summary>
public sealed class TextNormalizerTests
{
    /// <summary>The invisible characters of the finding (issue 15): soft hyphen, zero-width space, non-joiner and joiner,
    /// word joiner, BOM, Mongolian vowel separator, tag characters (first, "A", cancel).</summary>
    public static TheoryData<string> Invisible => new() { "\u00AD", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u180E", "\U000E0001", "\U000E0041", "\U000E007F" };

    [Theory]
    [MemberData(nameof(Invisible))]
    public void Invisible_character_inside_a_word_is_dropped_so_the_letters_join(string invisible)
    {
        Assert.Equal("casino", TextNormalizer.ForMatching($"ca{invisible}sino"));
        Assert.Equal("buy followers now", TextNormalizer.ForMatching($"Buy fol{invisible}lowers {invisible} now{invisible}"));
    }

    [Fact]
    public void Invisible_character_written_as_an_entity_is_dropped_too() =>
        Assert.Equal("casino", TextNormalizer.ForMatching("ca&shy;si&#8203;no"));

    [Fact]
    public void Visible_format_characters_are_kept()
    {
        // ARABIC NUMBER SIGN (Cf, not default-ignorable) is drawn, spanning the digits after it.
        Assert.Equal("\u0600١٢٣", TextNormalizer.ForMatching("\u0600١٢٣"));
        Assert.False(UnicodeFolding.IsDefaultIgnorable(0x0600));
        Assert.True(UnicodeFolding.IsDefaultIgnorable(0x180E));
    }

    [Theory]
    [InlineData("саsino", "casino")]               // Cyrillic с and а
    [InlineData("САЅІNО", "casino")]               // Cyrillic capitals, І included (its look-alike is "l"; its small letter's, "i")
    [InlineData("buy fοllοwers", "buy followers")] // Greek ο
    [InlineData("ВUY FОLLОWЕRS", "buy followers")] // Cyrillic В, О, Е: capitals whose small letters look like no Latin one
    [InlineData("bυy fοllοwεrs", "buy followers")] // Greek υ, ο, ε
    [InlineData("ıllegal", "illegal")]             // dotless i
    public void Letters_that_look_latin_read_as_latin(string text, string expected) =>
        Assert.Equal(expected, TextNormalizer.ForMatching(text));

    [Fact]
    public void Ascii_digits_and_letters_are_never_folded_into_others() =>
        Assert.Equal("0 o 1 l i rn m", TextNormalizer.ForMatching("0 O 1 l I rn m"));

    [Fact]
    public void Digits_of_other_scripts_stay_digits() =>
        Assert.Equal("١٠٥ ०", TextNormalizer.ForMatching("١٠٥ ०"));

    [Theory]
    [InlineData("КАЗИНО у реки", "казино у реки")]
    [InlineData("ΚΑΖΙΝΟ ΣΤΟ ΛΙΜΑΝΙ", "καζινο στο λιμανι")]
    public void Both_cases_of_a_cyrillic_or_greek_word_fold_alike(string upper, string lower) =>
        Assert.Equal(TextNormalizer.ForMatching(lower), TextNormalizer.ForMatching(upper));

    [Fact]
    public void Every_look_alike_folds_to_lower_case_ascii_letters_and_its_capital_the_same()
    {
        var folded = 0;
        for (var c = 0x80; c < 0x10000; c++)
        {
            if (char.IsSurrogate((char)c) || UnicodeFolding.LatinLookAlike(c) is not { } latin) continue;
            folded++;
            Assert.All(latin, l => Assert.InRange(l, 'a', 'z'));
            Assert.Equal(latin, TextNormalizer.ForMatching(((char)c).ToString()));
            Assert.Equal(latin, TextNormalizer.ForMatching(char.ToUpperInvariant((char)c).ToString()));
        }
        Assert.InRange(folded, 200, 1000);
    }

    [Fact]
    public void A_combining_mark_after_a_dropped_character_composes_as_if_it_had_not_been_there() =>
        Assert.Equal(TextNormalizer.ForMatching("café"), TextNormalizer.ForMatching("cafe\u200B\u0301"));

    [Fact]
    public void Text_with_nothing_to_change_is_returned_as_it_is_without_allocating()
    {
        const string ascii = "plain text, one space between words: nothing to fold.";
        const string accented = "nothing to fold here either — déjà vu, 東京.";
        Assert.Same(ascii, TextNormalizer.ForMatching(ascii));
        Assert.Same(accented, TextNormalizer.ForMatching(accented));

        // (Non-ASCII text costs .NET's NFKC a small buffer even when it has nothing to change, as it always did.)
        Assert.Equal(0, LeastAllocatedBy(() => TextNormalizer.ForMatching(ascii)));
    }

    [Fact]
    public void Text_with_something_to_fold_allocates_only_its_result()
    {
        const string text = "Buy  fol\u200Blowers  at the \u0441\u0430sino, now";
        var expected = TextNormalizer.ForMatching(text);
        Assert.Equal("buy followers at the casino, now", expected);

        // NFKC's buffer and the folded result, with their object headers; no builder, no per-character strings.
        Assert.InRange(LeastAllocatedBy(() => TextNormalizer.ForMatching(text)), 1, 2 * (24 + 2 * text.Length) + 64);
    }

    /// <summary>The fewest bytes of a few runs: a run may also pay for a regex runner another test's thread holds.</summary>
    private static long LeastAllocatedBy(Action action) => Enumerable.Range(0, 5).Min(_ =>
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    });

    [Fact]
    public void Russian_word_list_finds_russian_text_in_any_case_and_nothing_else()
    {
        var words = new WordList(["казино", "buy followers"]);

        Assert.Equal(["казино"], words.FoundIn([TextNormalizer.ForMatching("Открылось новое КАЗИНО у реки")]));
        Assert.Empty(words.FoundIn([TextNormalizer.ForMatching("Спасибо за статью, очень интересно читать про новый парк у реки.")]));
        Assert.Empty(words.FoundIn([TextNormalizer.ForMatching("Ευχαριστώ για το άρθρο, πολύ ενδιαφέρον. Καλή συνέχεια!")]));
    }

    [Fact]
    public void Word_list_reports_the_word_as_the_site_wrote_it() =>
        Assert.Equal(["Buy Followers"], new WordList([" Buy Followers ", "buy followers"]).FoundIn([TextNormalizer.ForMatching("\u0412UY fol\u200Blowers")])); // Cyrillic В, zero-width space

    [Fact]
    public void Shingles_of_a_text_with_invisible_and_look_alike_characters_are_those_of_its_clean_copy()
    {
        const string clean = "buy followers now at the best price, real accounts, delivered within the hour";
        const string disguised = "buy fol\u200Blowers n\u00ADow at the b\u0435st pri\u0441e, r\u0435al accounts, delivered within the h\u2060our";

        var similarity = Shingles.Of(TextNormalizer.ForFingerprint(disguised)).Jaccard(Shingles.Of(TextNormalizer.ForFingerprint(clean)));

        Assert.Equal(1.0, similarity);
    }
}
