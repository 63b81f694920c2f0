using System.Threading.Channels;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Data;
using Moderation.Data.Outbox;

namespace Moderation.ServiceDefaults.Outbox;

/// <summary>
/// Publishes the outbox's rows and deletes each once the broker has confirmed it. Woken right after a commit that
/// wrote rows (<see cref="Wake"/>), and sweeping every second for what is left: rows of an instance that died
/// before publishing, or that the broker refused (tried again after 1, 2, 4 … 60 s). On PostgreSQL a sweep locks
/// its rows with <c>FOR UPDATE SKIP LOCKED</c>, so instances sweeping together never publish one row twice;
/// SQLite is the one-process standalone host, with this as its only dispatcher. Delivery is at least once
/// (a crash after the publish and before the delete publishes again): consumers are idempotent. Commands
/// (<see cref="QueueNames.CommandQueue"/>) are sent to their queue instead of published.
/// </summary>
public sealed partial class OutboxDispatcher(IServiceScopeFactory scopes, IBus bus, TimeProvider clock, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Rows were just committed: publish them now rather than at the next sweep.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var fullBatch = await DispatchDueAsync(stoppingToken);
                failures = 0;
                if (fullBatch) continue; // more are waiting
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is away: the rows are safe in it, so wait and look again.
                failures++;
                LogSweepFailed(logger, failures, ex.Message);
            }
            await WaitAsync(failures == 0 ? SweepInterval : Backoff(failures), stoppingToken);
        }
    }

    /// <summary>Publishes one batch of due rows; true when the batch was full.</summary>
    public async Task<bool> DispatchDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModerationDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        // SQLite: no lock to take, and a transaction held while publishing would only risk SQLITE_BUSY on the write.
        await using var transaction = db is PostgresModerationDb ? await db.Database.BeginTransactionAsync(ct) : null;
        var due = db is PostgresModerationDb
            ? await db.Outbox.FromSql($"""
                SELECT * FROM outbox_messages WHERE "NextAttemptAt" <= {now}
                ORDER BY "NextAttemptAt", "CreatedAt" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct)
            : await db.Outbox.Where(m => m.NextAttemptAt <= now).OrderBy(m => m.NextAttemptAt).ThenBy(m => m.CreatedAt)
                .Take(BatchSize).ToListAsync(ct);
        if (due.Count == 0) return false;

        var errors = await Task.WhenAll(due.Select(row => PublishAsync(row, ct)));
        var failed = 0;
        for (var i = 0; i < due.Count; i++)
        {
            if (errors[i] is not { } error)
            {
                db.Outbox.Remove(due[i]);
                continue;
            }
            failed++;
            due[i].Attempts++;
            due[i].LastError = error.Length <= 1000 ? error : error[..1000];
            due[i].NextAttemptAt = now + Backoff(due[i].Attempts);
        }
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);

        if (failed > 0) LogPublishFailed(logger, failed, due.Count, errors.First(e => e is not null)!);
        else if (due.Any(r => r.Attempts > 0)) LogRecovered(logger, due.Count);
        return due.Count == BatchSize;
    }

    /// <summary>Null when the broker confirmed it, else why not.</summary>
    private async Task<string?> PublishAsync(OutboxMessage row, CancellationToken ct)
    {
        try
        {
            var message = row.ToMessage();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(PublishTimeout);
            if (QueueNames.CommandQueue(message.GetType()) is { } queue)
                await (await bus.GetSendEndpoint(new Uri($"queue:{queue}"))).Send(message, message.GetType(), timeout.Token);
            else
                await bus.Publish(message, message.GetType(), timeout.Token);
            return null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return $"{row.MessageType}: {ex.GetType().Name}: {ex.Message}";
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(delay);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The sweep interval is up.
        }
    }

    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempts, 10) - 1), MaxBackoff.TotalSeconds));

    [LoggerMessage(LogLevel.Warning, "Outbox: {Failed} of {Count} events not published, kept to retry: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, int failed, int count, string error);

    [LoggerMessage(LogLevel.Information, "Outbox: {Count} events published after earlier failures")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Outbox sweep failed ({Failures} in a row): {Error}")]
    private static partial void LogSweepFailed(ILogger logger, int failures, string error);
}
