using LinAttn.AutoML.Internal;
using LinAttn.Training;

namespace LinAttn.AutoML;

public sealed partial class AutoMLExperiment
{
    private static readonly Dictionary<Type, OptimizerKind> FamilyOf = new()
    {
        [typeof(SgdSearchOptions)] = OptimizerKind.Sgd,
        [typeof(SgdMomentumSearchOptions)] = OptimizerKind.SgdMomentum,
        [typeof(AdamSearchOptions)] = OptimizerKind.Adam,
        [typeof(AdamWSearchOptions)] = OptimizerKind.AdamW,
        [typeof(RmsPropSearchOptions)] = OptimizerKind.RmsProp,
        [typeof(AdagradSearchOptions)] = OptimizerKind.Adagrad,
        [typeof(SignSgdSearchOptions)] = OptimizerKind.SignSgd,
        [typeof(NormalizedSgdSearchOptions)] = OptimizerKind.NormalizedSgd,
    };

    /// <summary>
    /// Adds an optimizer's conditional sub-space, read from <typeparamref name="TOptions"/>'s ML.NET search-space
    /// attributes (<c>[Range]</c>, <c>[Choice]</c>, <c>[BooleanChoice]</c>, <c>[NestOption]</c>); unannotated properties are
    /// fixed at <paramref name="options"/>' values (or the class defaults). The optimizer is the family of a built-in
    /// options class (e.g. <see cref="AdamSearchOptions"/>), else parsed from <paramref name="name"/> (sgd, sgdm, adam, ...).
    /// </summary>
    /// <param name="name">A unique name for the optimizer in this experiment.</param>
    /// <param name="options">Values of the fixed options (default: <c>new TOptions()</c>).</param>
    public AutoMLExperiment AddOptimizer<TOptions>(string name, TOptions? options = null) where TOptions : class, new()
    {
        CheckNewName(name);
        OptimizerSpace space = ReadOptimizer(name, typeof(TOptions), options, null, null);   // validates now, fails fast
        _optimizers.Add((space.Name, typeof(TOptions), options, null, null));
        return this;
    }

    /// <summary>Adds an optimizer by name (sgd, sgdm, adam, adamw, rmsprop, adagrad, signsgd, nsgd) with its family's
    /// options class and learning-rate prior, optionally overriding the prior with [<paramref name="learningRateMin"/>,
    /// <paramref name="learningRateMax"/>].</summary>
    public AutoMLExperiment AddOptimizer(string name, double? learningRateMin = null, double? learningRateMax = null)
    {
        CheckNewName(name);
        OptimizerKind kind = OptimizerOptions.ParseKind(name, "optimizer");
        Type type = FamilyOf.First(kv => kv.Value == kind).Key;
        ReadOptimizer(name, type, null, learningRateMin, learningRateMax);
        _optimizers.Add((name, type, null, learningRateMin, learningRateMax));
        return this;
    }

    /// <summary>Sets the options shared by every optimizer (default <see cref="SharedSearchOptions"/>: the paper's
    /// fixed values). Annotated properties are searched for every optimizer.</summary>
    public AutoMLExperiment SetSharedOptions<TShared>(TShared? values = null) where TShared : class, new()
    {
        var (searched, fixedValues) = SearchSpaceReader.Read(typeof(TShared), values);
        TrialSpecBuilder.CheckNames(typeof(TShared).Name, searched.Select(d => d.Name).Concat(fixedValues.Keys), TrialSpecBuilder.SharedOptionNames);
        _shared = (typeof(TShared), values);
        return this;
    }

    /// <summary>The search space as it stands.</summary>
    /// <exception cref="InvalidOperationException">No optimizer was added.</exception>
    public SearchSpace BuildSearchSpace()
    {
        if (_optimizers.Count == 0)
            throw new InvalidOperationException("The search space is empty: add at least one optimizer with AddOptimizer (e.g. AddOptimizer<AdamSearchOptions>(\"adam\")).");
        var optimizers = _optimizers.Select(o => ReadOptimizer(o.Name, o.Type, o.Instance, o.Min, o.Max)).ToList();
        var (shared, sharedFixed) = SearchSpaceReader.Read(_shared.Type, _shared.Instance);
        if (_shared.Type == typeof(SharedSearchOptions) && _shared.Instance is null)
        {
            // The default shared options keep the task's own batch size and clipping.
            sharedFixed["BatchSize"] = _task.Training.BatchSize;
            sharedFixed["UseClipping"] = _task.Training.ClipThreshold is null ? 0 : 1;
            sharedFixed["ClipThreshold"] = _task.Training.ClipThreshold ?? TrainingOptions.Defaults.ClipThreshold;
            sharedFixed["WarmupFraction"] = _task.Training.Schedule.WarmupFraction;
        }
        return new SearchSpace(optimizers, shared, sharedFixed);
    }

    private void CheckNewName(string name)
    {
        Guard.That(!string.IsNullOrWhiteSpace(name), nameof(name), "The optimizer name must not be empty.");
        Guard.That(_optimizers.All(o => o.Name != name), nameof(name), $"Optimizer '{name}' was already added; names must be unique.");
    }

    private static OptimizerSpace ReadOptimizer(string name, Type type, object? instance, double? lrMin, double? lrMax)
    {
        OptimizerKind kind = FamilyOf.TryGetValue(type, out OptimizerKind family) ? family : OptimizerOptions.ParseKind(name, "optimizer");
        var (searched, fixedValues) = SearchSpaceReader.Read(type, instance);
        TrialSpecBuilder.CheckNames($"{type.Name} ('{name}')", searched.Select(d => d.Name).Concat(fixedValues.Keys), TrialSpecBuilder.OptimizerOptionNames);
        Dimension? lr = searched.FirstOrDefault(d => d.Name == "LearningRate");
        if (lr is null)
            throw new ArgumentOutOfRangeException("LearningRate",
                $"{type.Name} ('{name}') must search LearningRate: mark it [Range(min, max, init, logBase: true)] with 0 < min < max.");
        Guard.That(lr.Kind == DimensionKind.Range, "LearningRate", $"LearningRate of {type.Name} ('{name}') must be a [Range], not a {lr.Kind}.");
        if (lrMin is not null || lrMax is not null)
        {
            double min = lrMin ?? lr.Min, max = lrMax ?? lr.Max;
            SearchSpaceReader.CheckRange("LearningRate", min, max, true, $"'{name}'");
            lr = Dimension.Range("LearningRate", min, max, true);
        }
        lr = lr with { LogScale = true };
        var dims = new List<Dimension> { lr };
        dims.AddRange(searched.Where(d => d.Name != "LearningRate"));
        return new OptimizerSpace(name, kind, type.Name, dims, fixedValues);
    }
}
