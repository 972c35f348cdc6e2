using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LinAttn.AutoML;

/// <summary>SQLite: REAL and BLOB columns, the write-ahead log, and one writer at a time (a claim is a single UPDATE
/// under the database's write lock, so no row locks are needed).</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string Engine => "SQLite";

    protected override string DoubleType => "REAL";

    protected override string BlobType => "BLOB";

    public override string Now => "((julianday('now') - 2440587.5) * 86400.0)";

    public override string SkipLocked => "";

    public override string? MigrationLock => null;   // BEGIN IMMEDIATE already holds the write lock

    public override void Prepare(DbConnection connection)
    {
        using DbCommand c = connection.CreateCommand();
        c.CommandText = "PRAGMA journal_mode=WAL;";
        c.ExecuteNonQuery();
    }

    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override DbTransaction BeginRead(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another process holds the write lock longer than the busy timeout.
    public override bool IsTransient(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };
}
