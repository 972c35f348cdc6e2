using LinAttn.AutoML.Internal;
using Microsoft.Data.Sqlite;

namespace LinAttn.AutoML;

/// <summary>
/// The default study store: an embedded SQLite database file (Microsoft.Data.Sqlite) in write-ahead-log mode. Doubles are
/// 8-byte REALs (full precision; NaN, which SQLite turns into NULL, reads back as NaN), parameters JSON with round-trip
/// numbers, final weights a little-endian blob. One file holds any number of studies, and several worker processes on
/// one machine can share a study in it (<c>linattn tune worker</c>; claims are serialised by SQLite's write lock). The
/// schema is versioned (<see cref="SchemaVersion"/>) and shared with <see cref="PostgresStudyStorage"/>; every statement
/// is parameterised.
/// </summary>
public sealed class SqliteStudyStorage : IStudyStorage, ISharedStudyStorage
{
    /// <summary>The schema version this library writes and reads.</summary>
    public const int SchemaVersion = Schema.Version;

    private readonly SqlStudyStore _store;
    private readonly string _connectionString;

    /// <summary>Opens (or creates) the database at <paramref name="path"/> and brings its schema up to date.</summary>
    /// <exception cref="InvalidOperationException">The file is not a SQLite database, is corrupted, or has a newer schema.</exception>
    public SqliteStudyStorage(string path)
    {
        Guard.NotNull(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        var retry = new StorageRetry($"'{path}'", TimeSpan.FromMinutes(2), SqliteDialect.Instance.IsTransient);
        try
        {
            _store = new SqlStudyStore(SqliteDialect.Instance, Open, retry);
        }
        catch (SqliteException e)
        {
            SqliteConnection.ClearAllPools();
            throw new InvalidOperationException($"The study database '{path}' cannot be read: it is not a SQLite database or it is corrupted ({e.Message}).", e);
        }
    }

    /// <summary>Receives one line per retry when another process holds the database's write lock for long.</summary>
    public Action<string>? Log
    {
        get => _store.Log;
        set => _store.Log = value;
    }

    IStudyQueue ISharedStudyStorage.Queue => _store;

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <inheritdoc />
    public StudyInfo OpenStudy(StudyInfo expected) => _store.OpenStudy(Guard.NotNull(expected));

    /// <inheritdoc />
    public StudyInfo? FindStudy(string name) => _store.FindStudy(Guard.NotNull(name));

    /// <inheritdoc />
    public IReadOnlyList<TrialResult> LoadTrials(string study) => _store.LoadTrials(Guard.NotNull(study));

    /// <inheritdoc />
    public void SaveTrial(string study, TrialResult result) => _store.SaveTrial(Guard.NotNull(study), Guard.NotNull(result));

    /// <summary>Closes the database's pooled connections.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
