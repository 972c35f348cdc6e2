using LinAttn.Training;

namespace LinAttn.Diagnostics.Studies;

/// <summary>One configuration compared under SGDM and Adam (a point of a sweep): the two complete runs, whose seeds
/// are set per repetition.</summary>
/// <param name="Label">Short label for files and legends (e.g. "setting1", "L4").</param>
/// <param name="Description">One line for reports.</param>
/// <param name="Sgdm">The SGD-with-momentum run.</param>
/// <param name="Adam">The Adam run.</param>
public sealed record ComparisonVariant(string Label, string Description, RunSpec Sgdm, RunSpec Adam)
{
    /// <summary>The run of <paramref name="optimizer"/> (SgdMomentum or Adam) with <paramref name="seed"/>.</summary>
    public RunSpec For(OptimizerKind optimizer, ulong seed)
    {
        RunSpec spec = optimizer switch
        {
            OptimizerKind.SgdMomentum => Sgdm,
            OptimizerKind.Adam => Adam,
            _ => throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, $"optimizer must be SgdMomentum or Adam, but was {optimizer}."),
        };
        return spec with { Training = spec.Training with { Seed = seed } };
    }

    /// <summary>Applies <paramref name="change"/> to both runs (e.g. to set steps or batch size).</summary>
    public ComparisonVariant With(Func<RunSpec, RunSpec> change)
        => this with { Sgdm = Check.NotNull(change, nameof(change))(Sgdm), Adam = change(Adam) };
}
