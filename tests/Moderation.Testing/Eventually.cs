using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Moderation.Testing;

/// <summary>Polls until a condition holds, failing with what was last seen when it does not in time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(25);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string waitingFor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await probe();
            if (done(seen)) return seen;
            if (clock.Elapsed > limit)
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {waitingFor}; last seen: {Describe(seen)}");
            await Task.Delay(Pause);
        }
    }

    public static Task<T> Until<T>(Func<T> probe, Func<T, bool> done, string waitingFor, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(probe()), done, waitingFor, timeout);

    private static string Describe<T>(T seen) => seen switch
    {
        null => "null",
        JsonNode node => node.ToJsonString(),
        _ => seen.ToString() ?? "",
    };
}
