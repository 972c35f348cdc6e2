namespace LinAttn.Diagnostics.Studies;

/// <summary>Where finished study units (one seed's run, one noise measurement) are kept, so an interrupted study
/// resumes. A unit is stored under a key with a fingerprint of its full configuration; a stored unit whose
/// fingerprint differs is ignored (and overwritten).</summary>
public interface IStudyStore
{
    /// <summary>The stored JSON of <paramref name="key"/> if its fingerprint is <paramref name="fingerprint"/>, else null.</summary>
    string? Load(string key, string fingerprint);

    /// <summary>Stores <paramref name="json"/> under <paramref name="key"/> (atomically: a crash never leaves half a file).</summary>
    void Save(string key, string fingerprint, string json);
}
