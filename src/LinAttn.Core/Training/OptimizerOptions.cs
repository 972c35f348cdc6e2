using LinAttn.Internal;

namespace LinAttn.Training;

/// <summary>An optimizer and its hyper-parameters. Unused fields are ignored by optimizers that do not take them.</summary>
public sealed record OptimizerOptions
{
    /// <summary>Default values, defined once (PyTorch's defaults unless stated).</summary>
    public static class Defaults
    {
        /// <summary>Learning rate 0.02: the paper's rate for Adam and SGDM in Settings 1 and 3.</summary>
        public const double LearningRate = 0.02;

        /// <summary>Momentum 0.9 for <see cref="OptimizerKind.SgdMomentum"/> (the paper's SGDM).</summary>
        public const double Momentum = 0.9;

        /// <summary>β₁ = 0.9 (PyTorch and the paper).</summary>
        public const double Beta1 = 0.9;

        /// <summary>β₂ = 0.999 (PyTorch). The paper's presets use 0.9.</summary>
        public const double Beta2 = 0.999;

        /// <summary>ε = 1e-8 (Adam, AdamW, RMSprop).</summary>
        public const double Epsilon = 1e-8;

        /// <summary>RMSprop smoothing α = 0.99.</summary>
        public const double RmsPropAlpha = 0.99;

        /// <summary>AdamW decoupled weight decay 0.01 (PyTorch); 0 for every other optimizer.</summary>
        public const double AdamWWeightDecay = 0.01;
    }

    /// <summary>Which optimizer.</summary>
    public OptimizerKind Kind { get; init; } = OptimizerKind.Adam;

    /// <summary>Base learning rate η (scaled by the schedule). Range: &gt; 0.</summary>
    public double LearningRate { get; init; } = Defaults.LearningRate;

    /// <summary>Momentum μ (SgdMomentum, RmsProp, SignSgd, NormalizedSgd). Range: [0, 1).</summary>
    public double Momentum { get; init; } = Defaults.Momentum;

    /// <summary>β₁ (Adam, AdamW). Range: [0, 1).</summary>
    public double Beta1 { get; init; } = Defaults.Beta1;

    /// <summary>β₂ (Adam, AdamW). Range: [0, 1).</summary>
    public double Beta2 { get; init; } = Defaults.Beta2;

    /// <summary>ε (Adam, AdamW, RMSprop, Adagrad). Range: ≥ 0.</summary>
    public double Epsilon { get; init; } = Defaults.Epsilon;

    /// <summary>Weight decay; null means the optimizer's default (0.01 for AdamW, 0 otherwise). Range: ≥ 0.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>RMSprop smoothing constant α. Range: [0, 1).</summary>
    public double RmsPropAlpha { get; init; } = Defaults.RmsPropAlpha;

    /// <summary>The weight decay in effect.</summary>
    public double EffectiveWeightDecay => WeightDecay ?? (Kind == OptimizerKind.AdamW ? Defaults.AdamWWeightDecay : 0.0);

    /// <summary>The momentum in effect: 0 for plain SGD, <see cref="Momentum"/> otherwise.</summary>
    public double EffectiveMomentum => Kind == OptimizerKind.Sgd ? 0.0 : Momentum;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Guard.Defined(Kind, nameof(Kind));
        Guard.Positive(LearningRate, nameof(LearningRate));
        Guard.InRange(Momentum, 0, 1, nameof(Momentum));
        Guard.InRange(Beta1, 0, 1, nameof(Beta1));
        Guard.InRange(Beta2, 0, 1, nameof(Beta2));
        Guard.NonNegative(Epsilon, nameof(Epsilon));
        if (WeightDecay is double wd) Guard.NonNegative(wd, nameof(WeightDecay));
        Guard.InRange(RmsPropAlpha, 0, 1, nameof(RmsPropAlpha));
    }

    /// <summary>Parses an optimizer name (case-insensitive; accepts the enum names and sgdm, sgd-momentum, rmsprop, sign-sgd, nsgd).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The name is not known; the message lists the known names.</exception>
    public static OptimizerKind ParseKind(string name, string optionName = "optimizer")
    {
        string key = (name ?? "").Trim().ToLowerInvariant().Replace("-", "").Replace("_", "");
        return key switch
        {
            "sgd" => OptimizerKind.Sgd,
            "sgdm" or "sgdmomentum" or "momentum" => OptimizerKind.SgdMomentum,
            "adam" => OptimizerKind.Adam,
            "adamw" => OptimizerKind.AdamW,
            "rmsprop" => OptimizerKind.RmsProp,
            "adagrad" => OptimizerKind.Adagrad,
            "signsgd" or "signum" => OptimizerKind.SignSgd,
            "normalizedsgd" or "nsgd" => OptimizerKind.NormalizedSgd,
            _ => throw new ArgumentOutOfRangeException(optionName, name,
                $"{optionName} '{name}' is not known. Known optimizers: sgd, sgdm, adam, adamw, rmsprop, adagrad, signsgd, nsgd."),
        };
    }

    /// <summary>The short name used in files and the CLI (sgd, sgdm, adam, ...).</summary>
    public static string ShortName(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => "sgd",
        OptimizerKind.SgdMomentum => "sgdm",
        OptimizerKind.Adam => "adam",
        OptimizerKind.AdamW => "adamw",
        OptimizerKind.RmsProp => "rmsprop",
        OptimizerKind.Adagrad => "adagrad",
        OptimizerKind.SignSgd => "signsgd",
        OptimizerKind.NormalizedSgd => "nsgd",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
