namespace LinAttn.AutoML;

/// <summary>A study store in memory (no persistence): the default when no checkpoint is set.</summary>
public sealed class InMemoryStudyStorage : IStudyStorage
{
    private readonly Dictionary<string, StudyInfo> _studies = new();
    private readonly Dictionary<string, SortedDictionary<int, TrialResult>> _trials = new();

    /// <inheritdoc />
    public StudyInfo OpenStudy(StudyInfo expected)
    {
        if (_studies.TryGetValue(expected.Name, out StudyInfo? stored))
        {
            expected.CheckCompatible(stored, "memory");
            return stored;
        }
        _studies[expected.Name] = expected;
        _trials[expected.Name] = new SortedDictionary<int, TrialResult>();
        return expected;
    }

    /// <inheritdoc />
    public StudyInfo? FindStudy(string name) => _studies.GetValueOrDefault(name);

    /// <inheritdoc />
    public IReadOnlyList<TrialResult> LoadTrials(string study)
        => _trials.TryGetValue(study, out var t) ? t.Values.ToList() : new List<TrialResult>();

    /// <inheritdoc />
    public void SaveTrial(string study, TrialResult result) => _trials[study][result.TrialId] = result;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
