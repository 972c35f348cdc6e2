using System.Data;
using System.Data.Common;
using System.Globalization;

namespace LinAttn.AutoML;

/// <summary>
/// The study store over any ADO.NET provider: one schema (<see cref="Schema"/>), one set of parameterised statements,
/// and the job queue that lets workers share a study; the engine's differences live in a <see cref="SqlDialect"/>.
/// Every operation opens a pooled connection, runs in its own transaction when it writes more than one row, and is
/// retried on transient errors (<see cref="StorageRetry"/>). Thread-safe: each call uses its own connection.
/// </summary>
internal sealed partial class SqlStudyStore : IStudyQueue
{
    private readonly SqlDialect _dialect;
    private readonly Func<DbConnection> _open;
    private readonly StorageRetry _retry;

    /// <summary>Creates the store and brings its schema to <see cref="Schema.Version"/>.</summary>
    /// <param name="dialect">The engine.</param>
    /// <param name="open">Returns a new open connection (pooled by the provider).</param>
    /// <param name="retry">Retry policy; its <see cref="StorageRetry.Where"/> names the store in messages.</param>
    /// <exception cref="InvalidOperationException">The schema is newer than this library's.</exception>
    public SqlStudyStore(SqlDialect dialect, Func<DbConnection> open, StorageRetry retry)
    {
        _dialect = dialect;
        _open = open;
        _retry = retry;
        Migrate();
    }

    /// <inheritdoc />
    public string Where => _retry.Where;

    /// <inheritdoc />
    public Action<string>? Log
    {
        get => _retry.Log;
        set => _retry.Log = value;
    }

    /// <summary>The schema version stored in the database.</summary>
    public int StoredVersion() => Run("reading the schema version", (c, tx) => ReadVersion(c, tx) ?? 0);

    private void Migrate() => Run("migrating the schema", (c, tx) =>
    {
        if (_dialect.MigrationLock is string lockSql) Execute(c, tx, lockSql);
        Execute(c, tx, Schema.Meta);
        int version = ReadVersion(c, tx) ?? 0;
        CheckNotNewer(version);
        for (int v = version; v < Schema.Version; v++)
            foreach (string statement in Schema.Statements(v, _dialect)) Execute(c, tx, statement);
        if (version < Schema.Version)
            Execute(c, tx, "INSERT INTO meta(key, value) VALUES ('schema_version', @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                ("@v", Schema.Version.ToString(CultureInfo.InvariantCulture)));
        return 0;
    }, write: true, prepare: true);

    private static int? ReadVersion(DbConnection c, DbTransaction? tx)
        => Scalar(c, tx, "SELECT value FROM meta WHERE key = 'schema_version'") is string s ? int.Parse(s, CultureInfo.InvariantCulture) : null;

    private void CheckNotNewer(int version)
    {
        if (version > Schema.Version)
            throw new InvalidOperationException(
                $"The study store {Where} has schema version {version}, newer than this library's {Schema.Version} " +
                $"(LinAttn.AutoML {typeof(Schema).Assembly.GetName().Version}). Upgrade LinAttn.AutoML on this worker: every worker of a study must run the same version.");
    }

    /// <summary>Runs <paramref name="body"/> on a fresh connection, in a transaction when <paramref name="write"/> (or
    /// in a snapshot when <paramref name="snapshot"/>), with retries.</summary>
    private T Run<T>(string what, Func<DbConnection, DbTransaction?, T> body, bool write = false, bool snapshot = false, bool retry = true, bool prepare = false)
        => _retry.Run(what, () =>
        {
            using DbConnection connection = _open();
            if (prepare) _dialect.Prepare(connection);
            if (!write && !snapshot) return body(connection, null);
            using DbTransaction tx = write ? _dialect.BeginWrite(connection) : _dialect.BeginRead(connection);
            T result = body(connection, tx);
            tx.Commit();
            return result;
        }, retry);

    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, IEnumerable<(string Name, object? Value)> parameters)
    {
        DbCommand command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            DbParameter p = command.CreateParameter();
            p.ParameterName = name;
            switch (value)
            {
                case null:
                    p.Value = DBNull.Value;
                    break;
                case Typed t:
                    p.Value = t.Value;
                    p.DbType = t.Type;
                    break;
                case string s:
                    p.Value = s.Replace('\0', '\uFFFD');   // PostgreSQL text cannot hold NUL
                    p.DbType = DbType.String;
                    break;
                default:
                    p.Value = value;
                    break;
            }
            command.Parameters.Add(p);
        }
        return command;
    }

    private static int Execute(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using DbCommand command = Command(c, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using DbCommand command = Command(c, tx, sql, parameters);
        object? value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static List<T> Query<T>(DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> row, params (string Name, object? Value)[] parameters)
    {
        using DbCommand command = Command(c, tx, sql, parameters);
        using DbDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(row(reader));
        return rows;
    }

    /// <summary>"@p0, @p1, ..." for an IN list, with the values as parameters.</summary>
    private static (string Sql, (string, object?)[] Parameters) InList(string prefix, IEnumerable<int> values)
    {
        var parameters = values.Select((v, i) => ($"@{prefix}{i}", (object?)v)).ToArray();
        return (string.Join(", ", parameters.Select(p => p.Item1)), parameters);
    }

    /// <summary>A parameter value with its type (so that a null still tells every engine its column type).</summary>
    private readonly record struct Typed(object Value, DbType Type);

    private static object Double(double v) => new Typed(double.IsNaN(v) ? DBNull.Value : v, DbType.Double);

    private static object NullableInt(int? v) => new Typed(v is int i ? i : DBNull.Value, DbType.Int32);

    private static object NullableText(string? s) => s is null ? new Typed(DBNull.Value, DbType.String) : s;

    private static object Bytes(byte[]? b) => new Typed(b is null ? DBNull.Value : b, DbType.Binary);

    private static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double Real(DbDataReader r, int i) => r.IsDBNull(i) ? double.NaN : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
