namespace LinAttn.AutoML;

/// <summary>Opens a study storage from one string, as <c>linattn tune --storage</c> does.</summary>
public static class StudyStorage
{
    /// <summary>The environment variable that <c>linattn tune</c> reads when <c>--storage</c> is not given.</summary>
    public const string EnvironmentVariable = "LINATTN_STORAGE";

    /// <summary>A <see cref="PostgresStudyStorage"/> when <paramref name="storage"/> is a connection string
    /// (<c>Host=...;Database=...;Username=...</c>, see <see cref="PostgresStudyStorage.IsConnectionString"/>), else a
    /// <see cref="SqliteStudyStorage"/> on the file <paramref name="storage"/>.</summary>
    /// <param name="storage">A connection string or a file path.</param>
    /// <param name="log">Receives one line per retry while the store is unavailable (no credentials).</param>
    /// <param name="retryFor">How long to retry an operation while a PostgreSQL server is unreachable (default
    /// <see cref="PostgresStudyStorage.DefaultRetryFor"/>).</param>
    public static IStudyStorage Open(string storage, Action<string>? log = null, TimeSpan? retryFor = null)
    {
        Internal.Guard.That(!string.IsNullOrWhiteSpace(storage), nameof(storage), "storage must be a SQLite file path or a PostgreSQL connection string.");
        return PostgresStudyStorage.IsConnectionString(storage)
            ? new PostgresStudyStorage(storage, retryFor, log)
            : new SqliteStudyStorage(storage) { Log = log };
    }

    /// <summary>How <paramref name="storage"/> is named in messages: the file path, or <c>PostgreSQL user@host:port/db</c>
    /// for a connection string (never the password).</summary>
    public static string Describe(IStudyStorage storage) => storage switch
    {
        PostgresStudyStorage pg => pg.Where,
        ISharedStudyStorage shared => "SQLite " + shared.Queue.Where,
        _ => storage.GetType().Name,
    };
}
