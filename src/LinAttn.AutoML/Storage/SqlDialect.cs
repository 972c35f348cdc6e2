using System.Data.Common;

namespace LinAttn.AutoML;

/// <summary>
/// What differs between the SQL engines that hold studies; everything else (schema, statements, claim protocol) is
/// shared by <see cref="SqlStudyStore"/>.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>"SQLite" or "PostgreSQL".</summary>
    public abstract string Engine { get; }

    /// <summary>An 8-byte IEEE 754 column type.</summary>
    protected abstract string DoubleType { get; }

    /// <summary>A byte-array column type.</summary>
    protected abstract string BlobType { get; }

    /// <summary>The database's clock in seconds since 1970 (UTC), as an 8-byte float: every worker compares
    /// heartbeats with the same clock.</summary>
    public abstract string Now { get; }

    /// <summary>Appended to the claim's inner SELECT: a row lock that other claimers skip (empty when the engine
    /// serialises writers instead).</summary>
    public abstract string SkipLocked { get; }

    /// <summary>Runs once per store before the migration transaction (e.g. SQLite's journal mode).</summary>
    public virtual void Prepare(DbConnection connection)
    {
    }

    /// <summary>A transaction that writes (serialised with other writers for migrations).</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>A transaction that reads one consistent snapshot.</summary>
    public abstract DbTransaction BeginRead(DbConnection connection);

    /// <summary>A statement run first in the migration transaction that serialises concurrent migrations, or null.</summary>
    public abstract string? MigrationLock { get; }

    /// <summary>True for errors worth retrying (lost connection, server restarting, lock timeouts).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>Fills the type tokens of <see cref="Schema"/> statements.</summary>
    public string Types(string sql) => sql.Replace("{double}", DoubleType, StringComparison.Ordinal).Replace("{blob}", BlobType, StringComparison.Ordinal);
}
