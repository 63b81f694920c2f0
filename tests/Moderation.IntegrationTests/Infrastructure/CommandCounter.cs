using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Moderation.IntegrationTests.Infrastructure;

/// <summary>Counts the queries a context runs (commands that read), to hold a code path to its number of round trips.</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    public int Count { get; set; }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count++;
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
