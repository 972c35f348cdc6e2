using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Internal;

/// <summary>
/// The input contract, checked early: a known-size Vector&lt;Single&gt; features column of N(d+1)+d values, a Single label,
/// and an optional numeric scalar context-length column. Messages follow ML.NET's schema-mismatch format and throw
/// <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
internal static class SchemaChecks
{
    private const string FeatureRole = "feature", LabelRole = "label", LengthRole = "context length";

    /// <summary>Checks a full schema and infers the prompt geometry (Fit and the transformer).</summary>
    public static PromptShape CheckFeatures(DataViewSchema schema, string column, int? dimension, int? contextLength, PromptLayout layout)
    {
        DataViewSchema.Column features = schema.GetColumnOrNull(column) ?? throw Guard.MissingColumn(FeatureRole, column);
        if (features.Type is not VectorDataViewType { ItemType: var item } vector || item != NumberDataViewType.Single || !vector.IsKnownSize)
            throw Guard.ColumnMismatch(FeatureRole, column, "known-size vector of Single", features.Type.ToString()!);
        return Infer(vector.Size, dimension, contextLength, layout, column);
    }

    /// <summary>Checks that the label is a Single scalar.</summary>
    public static void CheckLabel(DataViewSchema schema, string column)
    {
        DataViewSchema.Column label = schema.GetColumnOrNull(column) ?? throw Guard.MissingColumn(LabelRole, column);
        if (label.Type != NumberDataViewType.Single) throw Guard.ColumnMismatch(LabelRole, column, "Single", label.Type.ToString()!);
    }

    /// <summary>Checks that the context-length column is a numeric scalar.</summary>
    public static void CheckContextLength(DataViewSchema schema, string? column)
    {
        if (column is null) return;
        DataViewSchema.Column length = schema.GetColumnOrNull(column) ?? throw Guard.MissingColumn(LengthRole, column);
        if (length.Type is not NumberDataViewType) throw Guard.ColumnMismatch(LengthRole, column, "numeric scalar (e.g. Single or Int32)", length.Type.ToString()!);
    }

    /// <summary>The checks a <see cref="SchemaShape"/> allows (it carries no vector sizes).</summary>
    public static void CheckShape(SchemaShape shape, string featureColumn, string labelColumn, string? lengthColumn)
    {
        if (!TryFind(shape, featureColumn, out SchemaShape.Column features)) throw Guard.MissingColumn(FeatureRole, featureColumn);
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
            throw Guard.ColumnMismatch(FeatureRole, featureColumn, "known-size vector of Single", Describe(features));
        if (!TryFind(shape, labelColumn, out SchemaShape.Column label)) throw Guard.MissingColumn(LabelRole, labelColumn);
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || label.ItemType != NumberDataViewType.Single)
            throw Guard.ColumnMismatch(LabelRole, labelColumn, "Single", Describe(label));
        if (lengthColumn is null) return;
        if (!TryFind(shape, lengthColumn, out SchemaShape.Column length)) throw Guard.MissingColumn(LengthRole, lengthColumn);
        if (length.Kind != SchemaShape.Column.VectorKind.Scalar || length.ItemType is not NumberDataViewType)
            throw Guard.ColumnMismatch(LengthRole, lengthColumn, "numeric scalar (e.g. Single or Int32)", Describe(length));
    }

    /// <summary>Infers (d, n) from the vector size N(d+1)+d and whichever of d and n the options fix.</summary>
    public static PromptShape Infer(int size, int? dimension, int? contextLength, PromptLayout layout, string column)
    {
        // size + 1 = (n + 1)(d + 1).
        int product = size + 1;
        if (dimension is int d)
        {
            if (product % (d + 1) != 0 || product / (d + 1) < 2)
                throw new ArgumentOutOfRangeException("inputSchema",
                    $"Feature column '{column}' has {size} values, but a prompt with d = {d} must have n(d+1)+d values for some n ≥ 1 " +
                    $"({Examples(d)}, ...). Check Dimension and the columns concatenated into '{column}'.");
            int n = product / (d + 1) - 1;
            if (contextLength is int expected && expected != n)
                throw new ArgumentOutOfRangeException("inputSchema",
                    $"Feature column '{column}' has {size} values, but n = {expected}, d = {d} need n(d+1)+d = {expected * (d + 1) + d}.");
            return new PromptShape(d, n, layout);
        }
        if (contextLength is int nFixed)
        {
            if (product % (nFixed + 1) != 0 || product / (nFixed + 1) < 2)
                throw new ArgumentOutOfRangeException("inputSchema",
                    $"Feature column '{column}' has {size} values, but a prompt with n = {nFixed} must have n(d+1)+d = (n+1)(d+1)−1 values for some d ≥ 1 " +
                    $"({2 * (nFixed + 1) - 1} for d = 1, {3 * (nFixed + 1) - 1} for d = 2, ...).");
            return new PromptShape(product / (nFixed + 1) - 1, nFixed, layout);
        }
        var candidates = Enumerable.Range(1, Math.Max(0, product / 2 - 1))
            .Where(dd => product % (dd + 1) == 0 && product / (dd + 1) >= 2)
            .Select(dd => $"(d = {dd}, n = {product / (dd + 1) - 1})").ToList();
        throw new ArgumentOutOfRangeException("Dimension",
            $"Set Dimension (d) or ContextLength (n): a prompt of {size} values in column '{column}' fits " +
            (candidates.Count == 0 ? "no (d, n) with d, n ≥ 1" : string.Join(", ", candidates.Take(6))) + ".");
    }

    private static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column)
    {
        foreach (SchemaShape.Column candidate in shape)
        {
            if (candidate.Name == name)
            {
                column = candidate;
                return true;
            }
        }
        column = default;
        return false;
    }

    private static string Examples(int d) => string.Join(", ", new[] { 1, 2, 10, 20 }.Select(n => $"{n * (d + 1) + d} for n = {n}"));

    private static string Describe(SchemaShape.Column column) => column.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => column.ItemType.ToString()!,
        SchemaShape.Column.VectorKind.Vector => $"Vector<{column.ItemType}>",
        _ => $"variable-size Vector<{column.ItemType}>",
    };
}
