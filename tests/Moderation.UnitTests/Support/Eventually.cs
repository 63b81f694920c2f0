using System.Diagnostics;

namespace Moderation.UnitTests.Support;

/// <summary>Polls until a condition holds, failing with what was last seen when it does not in time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<T> Until<T>(Func<T> probe, Func<T, bool> done, string waitingFor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = probe();
            if (done(seen)) return seen;
            if (clock.Elapsed > limit)
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting for {waitingFor}.");
            await Task.Delay(20);
        }
    }
}
