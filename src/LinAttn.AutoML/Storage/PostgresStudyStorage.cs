using LinAttn.AutoML.Internal;
using Npgsql;

namespace LinAttn.AutoML;

/// <summary>
/// A study store in a PostgreSQL database (Npgsql), for workers on several machines sharing one study: jobs are
/// claimed with <c>SELECT ... FOR UPDATE SKIP LOCKED</c>, kept alive by heartbeats, and completed in the same
/// transaction as the trial's row. The schema is the one of <see cref="SqliteStudyStorage"/> (DOUBLE PRECISION and BYTEA
/// for REAL and BLOB), versioned and migrated under an advisory lock. Operations that fail because the server is
/// unreachable or restarting are retried with exponential backoff for <see cref="DefaultRetryFor"/> (or the given time).
/// </summary>
/// <remarks>The connection string is used to connect and nowhere else: it is never logged, never put in an exception
/// message and never stored in the study (messages name the store as <c>user@host:port/database</c>). Prefer a
/// connection string without a password and the password in <c>PGPASSWORD</c> or a <c>.pgpass</c> file. Use a
/// database of its own (or <c>Search Path</c>): the tables are named <c>meta</c>, <c>studies</c>, <c>trials</c>,
/// <c>rungs</c> and <c>jobs</c>. Every statement is parameterised.</remarks>
public sealed class PostgresStudyStorage : IStudyStorage, ISharedStudyStorage
{
    /// <summary>How long an operation is retried while the server is unreachable: 10 minutes (a server restart or a
    /// fail-over takes seconds to a minute).</summary>
    public static readonly TimeSpan DefaultRetryFor = TimeSpan.FromMinutes(10);

    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlStudyStore _store;

    /// <summary>Connects to the database of <paramref name="connectionString"/> (an Npgsql connection string with at
    /// least <c>Host</c>) and brings its schema up to date.</summary>
    /// <param name="connectionString">e.g. <c>Host=db.example.org;Database=linattn;Username=tuner</c>.</param>
    /// <param name="retryFor">How long to retry an operation while the server is unreachable (default
    /// <see cref="DefaultRetryFor"/>). Range: ≥ 0.</param>
    /// <param name="log">Receives one line per retry (no credentials).</param>
    /// <exception cref="ArgumentException">The connection string cannot be parsed or names no host.</exception>
    /// <exception cref="InvalidOperationException">The database refuses the connection (e.g. authentication), stays
    /// unreachable for <paramref name="retryFor"/>, or has a newer schema.</exception>
    public PostgresStudyStorage(string connectionString, TimeSpan? retryFor = null, Action<string>? log = null)
    {
        NpgsqlConnectionStringBuilder builder = Parse(connectionString);
        TimeSpan retry = retryFor ?? DefaultRetryFor;
        Guard.That(retry >= TimeSpan.Zero, nameof(retryFor), $"retryFor must be non-negative, but was {retry}.");
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "linattn";
        builder.NoResetOnClose = true;   // the store changes no session state, so pooled connections need no DISCARD ALL
        Where = Describe(builder);
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var policy = new StorageRetry(Where, retry, PostgresDialect.Instance.IsTransient, () => _dataSource.Clear()) { Log = log };
        try
        {
            _store = new SqlStudyStore(PostgresDialect.Instance, _dataSource.OpenConnection, policy);
        }
        catch (NpgsqlException e)
        {
            _dataSource.Dispose();
            throw new InvalidOperationException($"The PostgreSQL study database {Where} cannot be opened: {e.Message}", e);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    /// <summary>The store as <c>PostgreSQL user@host:port/database</c> (never the password).</summary>
    public string Where { get; }

    /// <summary>Receives one line per retry while the server is unreachable.</summary>
    public Action<string>? Log
    {
        get => _store.Log;
        set => _store.Log = value;
    }

    IStudyQueue ISharedStudyStorage.Queue => _store;

    /// <summary>True when <paramref name="storage"/> looks like an Npgsql connection string (key=value pairs with a
    /// <c>Host</c> or <c>Server</c> key) rather than a file path.</summary>
    public static bool IsConnectionString(string storage)
    {
        if (string.IsNullOrWhiteSpace(storage) || !storage.Contains('=', StringComparison.Ordinal)) return false;
        return storage.Split(';').Select(part => part.Split('=', 2)[0].Trim())
            .Any(key => key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc />
    public StudyInfo OpenStudy(StudyInfo expected) => _store.OpenStudy(Guard.NotNull(expected));

    /// <inheritdoc />
    public StudyInfo? FindStudy(string name) => _store.FindStudy(Guard.NotNull(name));

    /// <inheritdoc />
    public IReadOnlyList<TrialResult> LoadTrials(string study) => _store.LoadTrials(Guard.NotNull(study));

    /// <inheritdoc />
    public void SaveTrial(string study, TrialResult result) => _store.SaveTrial(Guard.NotNull(study), Guard.NotNull(result));

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _dataSource.Dispose();

    private static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        Guard.That(!string.IsNullOrWhiteSpace(connectionString), nameof(connectionString), "connectionString must not be empty.");
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The parser's message can quote the string (and so a password): keep only which rule failed.
            throw new ArgumentException($"connectionString is not a valid Npgsql connection string (key=value pairs separated by ';'): {e.GetType().Name}.", nameof(connectionString));
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ArgumentException("connectionString must name the server with Host=..., e.g. \"Host=db.example.org;Database=linattn;Username=tuner\".", nameof(connectionString));
        return builder;
    }

    private static string Describe(NpgsqlConnectionStringBuilder b)
        => $"PostgreSQL {(string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@")}{b.Host}:{b.Port}/{b.Database ?? b.Username ?? "postgres"}";
}
