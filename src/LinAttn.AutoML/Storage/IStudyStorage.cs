namespace LinAttn.AutoML;

/// <summary>
/// Where a study keeps its trials, so that a killed experiment resumes and (issue 7) several workers can share a study.
/// The experiment is a deterministic function of the stored results: on resume it replays its decisions and reuses
/// every stored result instead of training again. Implementations must store doubles at full precision (NaN included)
/// and be safe to call from one thread at a time (the experiment serialises calls).
/// </summary>
public interface IStudyStorage : IDisposable
{
    /// <summary>Opens the study called <paramref name="expected"/>.Name, creating it when new. When it exists, its
    /// stored description must be compatible (<see cref="StudyInfo.CheckCompatible"/>); returns the stored one.</summary>
    /// <exception cref="InvalidOperationException">The study is incompatible, or the store is corrupted.</exception>
    StudyInfo OpenStudy(StudyInfo expected);

    /// <summary>The latest state of every trial of a study, in trial-id order.</summary>
    IReadOnlyList<TrialResult> LoadTrials(string study);

    /// <summary>Inserts or replaces the state of a trial (with its rungs).</summary>
    void SaveTrial(string study, TrialResult result);
}
