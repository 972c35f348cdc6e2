namespace LinAttn.AutoML;

/// <summary>
/// Where a study keeps its trials, so that a killed experiment resumes and several workers can share a study. The
/// experiment is a deterministic function of the stored results: on resume it replays its decisions and reuses every
/// stored result instead of training again. Implementations must store doubles at full precision (NaN included).
/// The built-in SQL stores (<see cref="SqliteStudyStorage"/>, <see cref="PostgresStudyStorage"/>) are thread-safe and
/// also carry the job queue of workers; other implementations are called from one thread at a time.
/// </summary>
public interface IStudyStorage : IDisposable
{
    /// <summary>Opens the study called <paramref name="expected"/>.Name, creating it when new. When it exists, its
    /// stored description must be compatible (<see cref="StudyInfo.CheckCompatible"/>); returns the stored one.</summary>
    /// <exception cref="InvalidOperationException">The study is incompatible, or the store is corrupted.</exception>
    StudyInfo OpenStudy(StudyInfo expected);

    /// <summary>The stored description of study <paramref name="name"/>, or null when there is none.</summary>
    StudyInfo? FindStudy(string name);

    /// <summary>The latest state of every trial of a study, in trial-id order.</summary>
    IReadOnlyList<TrialResult> LoadTrials(string study);

    /// <summary>Inserts or replaces the state of a trial (with its rungs).</summary>
    void SaveTrial(string study, TrialResult result);
}
