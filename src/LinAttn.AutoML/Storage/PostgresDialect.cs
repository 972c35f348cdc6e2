using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace LinAttn.AutoML;

/// <summary>PostgreSQL: DOUBLE PRECISION and BYTEA columns, <c>FOR UPDATE SKIP LOCKED</c> claims, an advisory lock
/// around migrations, and retries on connection loss and server restarts.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>Key of the advisory lock that serialises migrations ("linattn" in ASCII).</summary>
    public const long MigrationLockKey = 0x6c696e6174746e;

    public static readonly PostgresDialect Instance = new();

    public override string Engine => "PostgreSQL";

    protected override string DoubleType => "DOUBLE PRECISION";

    protected override string BlobType => "BYTEA";

    public override string Now => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION)";

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override string? MigrationLock => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    public override DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction(IsolationLevel.ReadCommitted);

    public override DbTransaction BeginRead(DbConnection connection) => connection.BeginTransaction(IsolationLevel.RepeatableRead);

    // Connection errors (class 08), the server shutting down or starting (57P01-57P03), too many connections and other
    // resource errors (class 53), serialization failures and deadlocks; plus anything Npgsql itself calls transient
    // (socket and stream errors, timeouts).
    public override bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || pg.SqlState is "57P01" or "57P02" or "57P03" or "40001" or "40P01";
                case NpgsqlException npg when npg.IsTransient:
                case SocketException or IOException or TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
