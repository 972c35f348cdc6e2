using LinAttn.AutoML;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LinAttn.Tests.TestKit;

/// <summary>
/// An empty study database for one test: a SQLite file in a temporary folder, or a PostgreSQL schema of its own in the
/// test server's database (selected with <c>Search Path</c>, dropped at the end), so tests never see each other's tables.
/// </summary>
public sealed class StudyDatabase : IDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The backends of a <see cref="StorageTheoryAttribute"/> theory.</summary>
    public static TheoryData<string> Backends => new() { Sqlite, Postgres };

    private readonly string? _folder;
    private readonly string? _schema;

    public StudyDatabase(string backend)
    {
        Backend = backend;
        if (backend == Sqlite)
        {
            _folder = Path.Combine(Path.GetTempPath(), "linattn-study-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_folder);
            Storage = Path.Combine(_folder, "study.db");
        }
        else
        {
            string server = TestPostgres.ConnectionString ?? throw new InvalidOperationException(TestPostgres.SkipReason);
            _schema = "t_" + Guid.NewGuid().ToString("N");
            using (var connection = new NpgsqlConnection(server))
            {
                connection.Open();
                using var command = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
                command.ExecuteNonQuery();
            }
            Storage = new NpgsqlConnectionStringBuilder(server) { SearchPath = _schema }.ConnectionString;
        }
    }

    public string Backend { get; }

    /// <summary>What <c>--storage</c> takes: the SQLite path, or the connection string.</summary>
    public string Storage { get; }

    public IStudyStorage Open() => StudyStorage.Open(Storage);

    /// <summary>Runs raw SQL on the database (outside the store), e.g. to tamper with it.</summary>
    public void Execute(string sql)
    {
        if (Backend == Sqlite)
        {
            using var connection = new SqliteConnection($"Data Source={Storage};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        else
        {
            using var connection = new NpgsqlConnection(Storage);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The first column of every row of a query.</summary>
    public List<string?> Column(string sql)
    {
        var values = new List<string?>();
        if (Backend == Sqlite)
        {
            using var connection = new SqliteConnection($"Data Source={Storage};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read()) values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            using var connection = new NpgsqlConnection(Storage);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            using var reader = command.ExecuteReader();
            while (reader.Read()) values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        return values;
    }

    public void Dispose()
    {
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
        }
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
    }
}
