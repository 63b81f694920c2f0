using MassTransit.Testing;

namespace Moderation.UnitTests.Support;

/// <summary>
/// What the test harness has recorded so far, without waiting. The harness's own waiting (Any, Select)
/// stops for good once the bus has been idle for its inactivity timeout — which a slow start-up on a busy
/// machine can reach before the test sends anything — so tests poll these snapshots with a deadline instead.
/// </summary>
internal static class HarnessSnapshots
{
    private static readonly CancellationToken DoNotWait = new(canceled: true);

    public static T[] Now<T>(this IPublishedMessageList published, Func<T, bool> where) where T : class =>
        [.. published.Select<T>(x => where(x.Context.Message), DoNotWait).Select(x => x.Context.Message)];

    public static IReceivedMessage<T>[] Now<T>(this IReceivedMessageList consumed, Func<T, bool> where) where T : class =>
        [.. consumed.Select<T>(x => where(x.Context.Message), DoNotWait)];

    /// <summary>Waits until at least <paramref name="count"/> matching messages were published; returns them all.</summary>
    public static Task<T[]> WaitFor<T>(this IPublishedMessageList published, Func<T, bool> where, int count = 1) where T : class =>
        Eventually.Until(() => published.Now(where), found => found.Length >= count, $"{count} published {typeof(T).Name}");

    /// <summary>Waits until at least <paramref name="count"/> matching messages were consumed; returns them all.</summary>
    public static Task<IReceivedMessage<T>[]> WaitFor<T>(this IReceivedMessageList consumed, Func<T, bool> where, int count = 1) where T : class =>
        Eventually.Until(() => consumed.Now(where), found => found.Length >= count, $"{count} consumed {typeof(T).Name}");
}
