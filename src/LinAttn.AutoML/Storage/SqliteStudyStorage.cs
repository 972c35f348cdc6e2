using System.Text.Json;
using LinAttn.AutoML.Internal;
using Microsoft.Data.Sqlite;

namespace LinAttn.AutoML;

/// <summary>
/// The default study store: an embedded SQLite database file (Microsoft.Data.Sqlite). Doubles are stored as 8-byte
/// REALs (full precision; NaN, which SQLite turns into NULL, reads back as NaN), parameters as JSON with round-trip
/// numbers, final weights as a little-endian blob. One file holds any number of studies. The schema is versioned
/// (<see cref="SchemaVersion"/>); every statement is parameterised.
/// </summary>
public sealed class SqliteStudyStorage : IStudyStorage
{
    /// <summary>The schema version this library writes and reads.</summary>
    public const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly string _path;

    /// <summary>Opens (or creates) the database at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">The file is not a SQLite database, is corrupted, or has a newer schema.</exception>
    public SqliteStudyStorage(string path)
    {
        _path = Guard.NotNull(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL;");
            Execute(Schema.Create);
            long? version = Scalar("SELECT value FROM meta WHERE key = 'schema_version';") is string s ? long.Parse(s) : null;
            if (version is null) Execute("INSERT INTO meta(key, value) VALUES ('schema_version', $v);", ("$v", SchemaVersion.ToString()));
            else if (version > SchemaVersion)
                throw new InvalidOperationException($"The study database '{path}' has schema version {version}, newer than this library's {SchemaVersion}. Upgrade LinAttn.AutoML.");
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new InvalidOperationException($"The study database '{path}' cannot be read: it is not a SQLite database or it is corrupted ({e.Message}).", e);
        }
    }

    /// <inheritdoc />
    public StudyInfo OpenStudy(StudyInfo expected)
    {
        Guard.NotNull(expected);
        using var read = Command("SELECT search_space, search_space_hash, seed, settings, library_versions, created_utc FROM studies WHERE name = $n;", ("$n", expected.Name));
        using (SqliteDataReader r = read.ExecuteReader())
        {
            if (r.Read())
            {
                var stored = new StudyInfo(expected.Name, r.GetString(0), r.GetString(1), ulong.Parse(r.GetString(2)), r.GetString(3), r.GetString(4), r.GetString(5));
                expected.CheckCompatible(stored, $"'{_path}'");
                return stored;
            }
        }
        Execute("INSERT INTO studies(name, search_space, search_space_hash, seed, settings, library_versions, created_utc) VALUES ($n, $s, $h, $seed, $set, $v, $c);",
            ("$n", expected.Name), ("$s", expected.SearchSpaceJson), ("$h", expected.SearchSpaceHash), ("$seed", expected.Seed.ToString()),
            ("$set", expected.SettingsJson), ("$v", expected.LibraryVersions), ("$c", expected.CreatedUtc));
        return expected;
    }

    /// <inheritdoc />
    public IReadOnlyList<TrialResult> LoadTrials(string study)
    {
        var rungs = new Dictionary<int, List<RungResult>>();
        using (var rc = Command("SELECT trial_id, steps, loss FROM rungs WHERE study = $s ORDER BY trial_id, steps;", ("$s", study)))
        using (SqliteDataReader r = rc.ExecuteReader())
        {
            while (r.Read())
            {
                int id = r.GetInt32(0);
                if (!rungs.TryGetValue(id, out var list)) rungs[id] = list = new List<RungResult>();
                list.Add(new RungResult(r.GetInt32(1), Real(r, 2)));
            }
        }
        var trials = new List<TrialResult>();
        using var tc = Command($"SELECT {Schema.TrialColumns} FROM trials WHERE study = $s ORDER BY trial_id;", ("$s", study));
        using SqliteDataReader t = tc.ExecuteReader();
        while (t.Read())
        {
            int id = t.GetInt32(0);
            trials.Add(new TrialResult
            {
                TrialId = id,
                Parameter = Parameter.FromJson(t.GetString(1)),
                Phase = Enum.Parse<TrialPhase>(t.GetString(2)),
                SeedIndex = t.GetInt32(3),
                MaxSteps = t.GetInt32(4),
                Status = Enum.Parse<TrialStatus>(t.GetString(5)),
                Steps = t.GetInt32(6),
                Loss = Real(t, 7),
                Metric = Real(t, 8),
                InitialLoss = Real(t, 9),
                DivergedAtStep = t.IsDBNull(10) ? null : t.GetInt32(10),
                Message = t.GetString(11),
                Exception = t.IsDBNull(12) ? null : t.GetString(12),
                WallSeconds = Real(t, 13),
                FinalParameters = t.IsDBNull(14) ? null : Blob.ToDoubles((byte[])t[14]),
                Rungs = rungs.TryGetValue(id, out var rl) ? rl : new List<RungResult>(),
            });
        }
        return trials;
    }

    /// <inheritdoc />
    public void SaveTrial(string study, TrialResult x)
    {
        using SqliteTransaction tx = _connection.BeginTransaction();
        Execute($"INSERT OR REPLACE INTO trials(study, {Schema.TrialColumns}) VALUES ($st, $id, $p, $ph, $seed, $max, $status, $steps, $loss, $metric, $init, $div, $msg, $ex, $wall, $theta);",
            ("$st", study), ("$id", x.TrialId), ("$p", x.Parameter.ToJson()), ("$ph", x.Phase.ToString()), ("$seed", x.SeedIndex), ("$max", x.MaxSteps),
            ("$status", x.Status.ToString()), ("$steps", x.Steps), ("$loss", Db(x.Loss)), ("$metric", Db(x.Metric)), ("$init", Db(x.InitialLoss)),
            ("$div", x.DivergedAtStep is int d ? d : DBNull.Value), ("$msg", x.Message), ("$ex", (object?)x.Exception ?? DBNull.Value),
            ("$wall", x.WallSeconds), ("$theta", x.FinalParameters is null ? DBNull.Value : Blob.FromDoubles(x.FinalParameters)));
        Execute("DELETE FROM rungs WHERE study = $s AND trial_id = $id;", ("$s", study), ("$id", x.TrialId));
        foreach (RungResult r in x.Rungs)
            Execute("INSERT INTO rungs(study, trial_id, steps, loss) VALUES ($s, $id, $steps, $loss);", ("$s", study), ("$id", x.TrialId), ("$steps", r.Steps), ("$loss", Db(r.Loss)));
        tx.Commit();
    }

    private static object Db(double v) => double.IsNaN(v) ? DBNull.Value : v;

    private static double Real(SqliteDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        SqliteCommand c = _connection.CreateCommand();
        c.CommandText = sql;
        foreach (var (name, value) in parameters) c.Parameters.AddWithValue(name, value);
        return c;
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand c = Command(sql, parameters);
        c.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using SqliteCommand c = Command(sql);
        return c.ExecuteScalar();
    }

    /// <summary>Closes the database.</summary>
    public void Dispose() => _connection.Dispose();
}
