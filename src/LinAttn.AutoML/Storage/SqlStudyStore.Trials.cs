using System.Data.Common;
using System.Globalization;

namespace LinAttn.AutoML;

internal sealed partial class SqlStudyStore
{
    private const string StudyColumns = "search_space, search_space_hash, seed, settings, library_versions, created_utc, attributes";

    /// <summary>Opens the study, creating it when new (a concurrent creator is fine: the first one wins and the others
    /// check compatibility against it).</summary>
    public StudyInfo OpenStudy(StudyInfo expected) => Run($"opening study '{expected.Name}'", (c, tx) =>
    {
        Execute(c, tx, $"INSERT INTO studies(name, {StudyColumns}) VALUES (@n, @s, @h, @seed, @set, @v, @c, @a) ON CONFLICT (name) DO NOTHING",
            ("@n", expected.Name), ("@s", expected.SearchSpaceJson), ("@h", expected.SearchSpaceHash), ("@seed", expected.Seed.ToString(CultureInfo.InvariantCulture)),
            ("@set", expected.SettingsJson), ("@v", expected.LibraryVersions), ("@c", expected.CreatedUtc), ("@a", NullableText(expected.Attributes)));
        StudyInfo stored = ReadStudy(c, tx, expected.Name)!;
        expected.CheckCompatible(stored, Where);
        return stored;
    }, write: true);

    /// <summary>The stored description of a study, or null.</summary>
    public StudyInfo? FindStudy(string name) => Run($"reading study '{name}'", (c, tx) => ReadStudy(c, tx, name));

    private static StudyInfo? ReadStudy(DbConnection c, DbTransaction? tx, string name)
        => Query(c, tx, $"SELECT {StudyColumns} FROM studies WHERE name = @n", r => new StudyInfo(name, r.GetString(0), r.GetString(1),
                ulong.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.GetString(3), r.GetString(4), r.GetString(5)) { Attributes = Text(r, 6) },
            ("@n", name)).FirstOrDefault();

    /// <summary>Every trial of the study (or those in <paramref name="trialIds"/>), latest state, in trial-id order,
    /// read from one snapshot.</summary>
    public IReadOnlyList<TrialResult> LoadTrials(string study, IReadOnlyCollection<int>? trialIds = null)
    {
        if (trialIds is { Count: 0 }) return Array.Empty<TrialResult>();
        var (inList, inParameters) = InList("t", trialIds ?? Array.Empty<int>());
        string filter = trialIds is null ? "" : $" AND trial_id IN ({inList})";
        var parameters = inParameters.Prepend(("@s", (object?)study)).ToArray();
        return Run($"reading the trials of study '{study}'", (c, tx) =>
        {
            var rungs = new Dictionary<int, List<RungResult>>();
            foreach (var (id, rung) in Query(c, tx, $"SELECT trial_id, steps, loss FROM rungs WHERE study = @s{filter} ORDER BY trial_id, steps",
                         r => (Int(r, 0), new RungResult(Int(r, 1), Real(r, 2))), parameters))
            {
                if (!rungs.TryGetValue(id, out var list)) rungs[id] = list = new List<RungResult>();
                list.Add(rung);
            }
            return Query(c, tx, $"SELECT {Schema.TrialColumns} FROM trials WHERE study = @s{filter} ORDER BY trial_id", r => new TrialResult
            {
                TrialId = Int(r, 0),
                Parameter = Parameter.FromJson(r.GetString(1)),
                Phase = Enum.Parse<TrialPhase>(r.GetString(2)),
                SeedIndex = Int(r, 3),
                MaxSteps = Int(r, 4),
                Status = Enum.Parse<TrialStatus>(r.GetString(5)),
                Steps = Int(r, 6),
                Loss = Real(r, 7),
                Metric = Real(r, 8),
                InitialLoss = Real(r, 9),
                DivergedAtStep = r.IsDBNull(10) ? null : Int(r, 10),
                Message = r.GetString(11),
                Exception = Text(r, 12),
                WallSeconds = Real(r, 13),
                FinalParameters = r.IsDBNull(14) ? null : Blob.ToDoubles((byte[])r.GetValue(14)),
                Rungs = rungs.TryGetValue(Int(r, 0), out var rl) ? rl : new List<RungResult>(),
            }, parameters);
        }, snapshot: true);
    }

    /// <summary>Inserts or replaces a trial with its rungs, in one transaction.</summary>
    public void SaveTrial(string study, TrialResult trial) => Run($"saving trial {trial.TrialId}", (c, tx) =>
    {
        WriteTrial(c, tx!, study, trial);
        return 0;
    }, write: true);

    private static void WriteTrial(DbConnection c, DbTransaction tx, string study, TrialResult x)
    {
        string[] columns = Schema.TrialColumns.Split(", ");
        string update = string.Join(", ", columns.Skip(1).Select(col => $"{col} = excluded.{col}"));
        Execute(c, tx, $"INSERT INTO trials(study, {Schema.TrialColumns}) VALUES (@st, @id, @p, @ph, @seed, @max, @status, @steps, @loss, @metric, @init, @div, @msg, @ex, @wall, @theta) " +
                       $"ON CONFLICT (study, trial_id) DO UPDATE SET {update}",
            ("@st", study), ("@id", x.TrialId), ("@p", x.Parameter.ToJson()), ("@ph", x.Phase.ToString()), ("@seed", x.SeedIndex), ("@max", x.MaxSteps),
            ("@status", x.Status.ToString()), ("@steps", x.Steps), ("@loss", Double(x.Loss)), ("@metric", Double(x.Metric)), ("@init", Double(x.InitialLoss)),
            ("@div", NullableInt(x.DivergedAtStep)), ("@msg", x.Message), ("@ex", NullableText(x.Exception)), ("@wall", double.IsFinite(x.WallSeconds) ? x.WallSeconds : 0.0),
            ("@theta", Bytes(x.FinalParameters is null ? null : Blob.FromDoubles(x.FinalParameters))));
        Execute(c, tx, "DELETE FROM rungs WHERE study = @s AND trial_id = @id", ("@s", study), ("@id", x.TrialId));
        if (x.Rungs.Count == 0) return;
        var values = x.Rungs.Select((r, i) => ($"(@s, @id, @k{i}, @l{i})", new[] { ($"@k{i}", (object?)r.Steps), ($"@l{i}", Double(r.Loss)) })).ToList();
        Execute(c, tx, $"INSERT INTO rungs(study, trial_id, steps, loss) VALUES {string.Join(", ", values.Select(v => v.Item1))}",
            values.SelectMany(v => v.Item2).Prepend(("@id", x.TrialId)).Prepend(("@s", study)).ToArray());
    }
}
