namespace LinAttn.AutoML;

/// <summary>
/// What a study records about itself: its name, the search space (JSON and SHA-256), the seed, the experiment settings
/// that decide the trial table (budgets, rungs, tuner), and the library versions that created it.
/// </summary>
/// <param name="Name">The study name (unique in a database).</param>
/// <param name="SearchSpaceJson">The search space (<see cref="SearchSpace.ToJson"/>).</param>
/// <param name="SearchSpaceHash">SHA-256 of the search space.</param>
/// <param name="Seed">The experiment seed.</param>
/// <param name="SettingsJson">Budgets, rungs, tuner and task settings, as JSON.</param>
/// <param name="LibraryVersions">Assembly versions of LinAttn.Core, LinAttn.AutoML and the .NET runtime.</param>
/// <param name="CreatedUtc">Creation time (ISO 8601); informational.</param>
public sealed record StudyInfo(string Name, string SearchSpaceJson, string SearchSpaceHash, ulong Seed, string SettingsJson,
    string LibraryVersions, string CreatedUtc)
{
    /// <summary>Free-form JSON kept with the study and not compared on resume (e.g. <c>linattn tune</c> keeps the recipe
    /// that workers use to rebuild the experiment). Never put credentials here.</summary>
    public string? Attributes { get; init; }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first difference that makes
    /// <paramref name="stored"/> a different study than this one (search space hash, seed, settings).</summary>
    public void CheckCompatible(StudyInfo stored, string where)
    {
        if (stored.SearchSpaceHash != SearchSpaceHash)
            throw new InvalidOperationException(
                $"Study '{Name}' in {where} was created with a different search space (hash {Short(stored.SearchSpaceHash)}, this experiment's is " +
                $"{Short(SearchSpaceHash)}). Use another study name, or delete the study to start over.");
        if (stored.Seed != Seed)
            throw new InvalidOperationException($"Study '{Name}' in {where} was created with seed {stored.Seed}, but this experiment's seed is {Seed}. Use another study name.");
        if (stored.SettingsJson != SettingsJson)
            throw new InvalidOperationException(
                $"Study '{Name}' in {where} was created with other experiment settings ({stored.SettingsJson}); this experiment has {SettingsJson}. Use another study name.");
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
