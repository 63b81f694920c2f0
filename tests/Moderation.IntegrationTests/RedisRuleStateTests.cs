using Microsoft.Extensions.Options;
using Moderation.IntegrationTests.Infrastructure;
using Moderation.Scoring.Rules;
using StackExchange.Redis;

using Moderation.Spam;

using Moderation.Spam.Text;

namespace Moderation.IntegrationTests;

/// <summary>The rules' shared memory on a real Redis, as two workers see it.</summary>
public sealed class RedisRuleStateTests : IAsyncLifetime
{
    private readonly string _site = $"rules-{Guid.NewGuid():N}";
    private readonly IOptions<RuleOptions> _options = Options.Create(new RuleOptions());
    private ConnectionMultiplexer _first = null!, _second = null!;

    public async Task InitializeAsync()
    {
        var (host, port) = Servers.RedisEndpoint;
        await Servers.RequireAsync("Redis", host, port);
        _first = await ConnectionMultiplexer.ConnectAsync(Servers.Redis);
        _second = await ConnectionMultiplexer.ConnectAsync(Servers.Redis);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    private static Shingles Text(string body) => Shingles.Of(TextNormalizer.ForFingerprint(body));

    [Fact]
    public async Task A_copy_seen_by_one_worker_is_found_by_the_other()
    {
        var workerA = new RedisRuleState(_first, _options);
        var workerB = new RedisRuleState(_second, _options);
        const string campaign = "Earn $500 a day from home with this simple trick, visit quick-cash.example/join now!";

        var firstCopies = await workerA.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text(campaign), DateTime.UtcNow, default);
        var secondCopies = await workerB.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text(campaign.ToUpperInvariant() + "!!"), DateTime.UtcNow, default);
        var unrelated = await workerB.RecordAndFindCopiesAsync(_site, Guid.NewGuid(),
            Text("The council should have spent the money on housing instead of another park."), DateTime.UtcNow, default);

        Assert.Empty(firstCopies);
        Assert.Single(secondCopies);
        Assert.True(secondCopies[0] > 0.85, $"similarity {secondCopies[0]}");
        Assert.Empty(unrelated);
    }

    [Fact]
    public async Task Variants_of_a_campaign_are_found_and_other_sites_are_not_searched()
    {
        var state = new RedisRuleState(_first, _options);
        var now = DateTime.UtcNow;
        await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text("Earn $500 a day from home with this simple trick, visit http://quick-cash.example/join now!"), now, default);
        await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text("Earn $700 a day from home with this simple trick, visit http://fast-money.example/start now!!"), now, default);

        var third = await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text("Earn $900 a day from home with this simple trick, visit http://easy-pay.example/go now!"), now, default);
        var elsewhere = await state.RecordAndFindCopiesAsync(_site + "-other", Guid.NewGuid(), Text("Earn $900 a day from home with this simple trick, visit http://easy-pay.example/go now!"), now, default);

        Assert.Equal(2, third.Count);
        Assert.Empty(elsewhere);
    }

    [Fact]
    public async Task In_a_burst_of_copies_only_the_closest_are_compared_and_the_campaign_is_still_caught()
    {
        var state = new RedisRuleState(_first, _options);
        var now = DateTime.UtcNow;
        for (var i = 0; i < 60; i++)
            await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(),
                Text($"Earn ${100 + i} a day from home with this simple trick, visit http://cash{i}.example/join now!"), now, default);

        var copies = await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(),
            Text("Earn $999 a day from home with this simple trick, visit http://cash99.example/join now!"), now, default);

        // 60 earlier variants share its bands; a bounded number of the closest is fetched and compared.
        Assert.InRange(copies.Count, _options.Value.CampaignVariants, 16);
        Assert.All(copies, similarity => Assert.True(similarity >= _options.Value.VariantSimilarity, $"similarity {similarity}"));
    }

    [Fact]
    public async Task A_redelivered_comment_is_neither_its_own_copy_nor_counted_twice()
    {
        var state = new RedisRuleState(_first, _options);
        var redelivered = Guid.NewGuid();
        var at = DateTime.UtcNow;
        const string text = "Earn $500 a day from home with this simple trick, visit quick-cash.example/join now!";

        await state.RecordAndFindCopiesAsync(_site, redelivered, Text(text), at, default);
        var again = await state.RecordAndFindCopiesAsync(_site, redelivered, Text(text), at, default);

        Assert.Empty(again);
        Assert.Single(await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text(text), at, default));
    }

    [Fact]
    public async Task Each_band_keeps_only_its_newest_entries_however_busy_the_site()
    {
        var state = new RedisRuleState(_first, _options);
        for (var i = 0; i < 60; i++)
            await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text("The same long comment posted again and again by a campaign."), DateTime.UtcNow, default);

        var server = _first.GetServer(_first.GetEndPoints()[0]);
        var slice = Assert.Single(server.Keys(pattern: $"moderation:rules:{{{_site}}}:bands:*"));
        var buckets = await _first.GetDatabase().HashGetAllAsync(slice);
        Assert.Equal(16, buckets.Length); // one text: the same bucket in each band
        foreach (var bucket in buckets) Assert.Equal(10 * 24, ((byte[])bucket.Value!).Length); // 10 entries of id and time
    }

    [Fact]
    public async Task A_copy_from_just_before_the_time_slice_changed_is_found()
    {
        var state = new RedisRuleState(_first, _options);
        var window = TimeSpan.FromMinutes(_options.Value.DuplicateWindowMinutes);
        var boundary = new DateTime(DateTime.UtcNow.Ticks / window.Ticks * window.Ticks, DateTimeKind.Utc);
        const string text = "Earn $500 a day from home with this simple trick, visit quick-cash.example/join now!";

        await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text(text), boundary.AddMinutes(-1), default);
        var copies = await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text(text), boundary.AddMinutes(1), default);

        Assert.Single(copies);
    }

    [Fact]
    public async Task Copies_older_than_the_window_are_forgotten()
    {
        var state = new RedisRuleState(_first, _options);
        const string text = "A long enough comment that was posted a long time ago on this very thread.";
        await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text(text), DateTime.UtcNow.AddHours(-2), default);

        Assert.Empty(await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text(text), DateTime.UtcNow, default));
    }

    [Fact]
    public async Task Flood_counts_are_shared_and_count_a_redelivered_comment_once()
    {
        var workerA = new RedisRuleState(_first, _options);
        var workerB = new RedisRuleState(_second, _options);
        var redelivered = Guid.NewGuid();

        await workerA.RecordAndCountRecentAsync(_site, redelivered, "203.0.113.7", "hash-a", DateTime.UtcNow, default);
        await workerB.RecordAndCountRecentAsync(_site, redelivered, "203.0.113.7", "hash-a", DateTime.UtcNow, default);
        var (fromIp, fromEmail) = await workerB.RecordAndCountRecentAsync(_site, Guid.NewGuid(), "203.0.113.7", "hash-b", DateTime.UtcNow, default);

        Assert.Equal(2, fromIp);
        Assert.Equal(1, fromEmail);
    }

    [Fact]
    public async Task One_call_records_the_text_and_the_senders_as_the_two_calls_do_and_counts_a_redelivery_once()
    {
        var workerA = new RedisRuleState(_first, _options);
        var workerB = new RedisRuleState(_second, _options);
        const string campaign = "Earn $500 a day from home with this simple trick, visit quick-cash.example/join now!";
        var redelivered = Guid.NewGuid();

        var first = await workerA.RecordAsync(_site, redelivered, Text(campaign), "203.0.113.9", "hash-c", DateTime.UtcNow, default);
        var again = await workerB.RecordAsync(_site, redelivered, Text(campaign), "203.0.113.9", "hash-c", DateTime.UtcNow, default);
        var copies = await workerB.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text(campaign + "!"), DateTime.UtcNow, default);
        var (fromIp, fromEmail) = await workerB.RecordAndCountRecentAsync(_site, Guid.NewGuid(), "203.0.113.9", "hash-d", DateTime.UtcNow, default);
        var withoutIp = await workerA.RecordAsync(_site, Guid.NewGuid(), Text("A different comment, with nothing in common with the campaign."), null, "hash-c", DateTime.UtcNow, default);

        Assert.Empty(first.Copies);
        Assert.Equal((1, 1), (first.FromIp, first.FromEmail));
        Assert.Empty(again.Copies); // not its own copy, and not counted twice
        Assert.Equal((1, 1), (again.FromIp, again.FromEmail));
        Assert.Single(copies);
        Assert.Equal((2, 1), (fromIp, fromEmail));
        Assert.Empty(withoutIp.Copies);
        Assert.Equal((0, 2), (withoutIp.FromIp, withoutIp.FromEmail));
    }

    [Fact]
    public async Task Every_key_the_rules_write_expires()
    {
        var state = new RedisRuleState(_first, _options);
        await state.RecordAndFindCopiesAsync(_site, Guid.NewGuid(), Text("Some text long enough to be fingerprinted by the rules engine."), DateTime.UtcNow, default);
        await state.RecordAndCountRecentAsync(_site, Guid.NewGuid(), "198.51.100.1", "hash", DateTime.UtcNow, default);

        var server = _first.GetServer(_first.GetEndPoints()[0]);
        var keys = server.Keys(pattern: $"moderation:rules:{{{_site}}}:*").ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
            Assert.NotNull(await _first.GetDatabase().KeyTimeToLiveAsync(key));
    }
}
