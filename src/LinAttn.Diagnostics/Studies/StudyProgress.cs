namespace LinAttn.Diagnostics.Studies;

/// <summary>A progress report of a study: <paramref name="Done"/> of <paramref name="Total"/> items of a phase.</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Done">Items done in the phase.</param>
/// <param name="Total">Items in the phase.</param>
public readonly record struct StudyProgress(StudyPhase Phase, int Done, int Total);
