namespace LinAttn.AutoML;

/// <summary>How a searched option takes its values.</summary>
public enum DimensionKind
{
    /// <summary>A numeric range (<c>[Range]</c>), linear or logarithmic, real or integer.</summary>
    Range = 0,

    /// <summary>One of listed numeric values (<c>[Choice]</c>).</summary>
    Choice = 1,

    /// <summary>True or false (<c>[BooleanChoice]</c>), stored as 1 or 0.</summary>
    Boolean = 2,
}
