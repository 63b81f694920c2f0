using System.Diagnostics;

namespace Moderation.FunctionalTests.Infrastructure;

/// <summary>Polls until a condition holds, failing with what was last seen when it does not in time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string waitingFor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await probe();
            if (done(seen)) return seen;
            if (clock.Elapsed > limit)
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting for {waitingFor}; last seen: {Describe(seen)}");
            await Task.Delay(25);
        }
    }

    private static string Describe<T>(T seen) => seen switch
    {
        null => "null",
        System.Text.Json.Nodes.JsonNode node => node.ToJsonString(),
        _ => seen.ToString() ?? "",
    };
}
