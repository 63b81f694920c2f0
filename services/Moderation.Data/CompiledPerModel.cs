using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Moderation.Data;

/// <summary>
/// An EF compiled query, compiled once for each model it meets. EF refuses to run a compiled query with another
/// model than the one it was compiled for, and a process can hold two: PostgreSQL and SQLite contexts side by side
/// (tests, tools), or contexts built with different options.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
