using System.Runtime.Intrinsics;
using LinAttn.Engine;
using LinAttn.Engine.Simd;

namespace LinAttn.Tests.Engine;

/// <summary>
/// <see cref="LaneStridedProduct{TOps, TVec, T}"/> against an independent per-lane reference: each entry of C must
/// equal, bit for bit, FMAs over the inner index in ascending order from 0 or from C, whatever the shape (2×4 blocks,
/// leftover rows and columns), the strides (either operand transposed) and the row stride of C; and from a bias, with
/// or without ReLU on the way out.
/// </summary>
public sealed class LaneStridedProductTests
{
    private const int Lanes = 8;

    private static Vector256<float>[] RandomLanes(int count, int seed)
    {
        var random = new System.Random(seed);
        var lane = new float[Lanes];
        return Enumerable.Range(0, count).Select(_ =>
        {
            for (int j = 0; j < Lanes; j++) lane[j] = (float)(random.NextDouble() * 2 - 1);
            return Vector256.Create(lane);
        }).ToArray();
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 6, 5)]
    [InlineData(2, 4, 3)]
    [InlineData(3, 5, 7)]
    [InlineData(21, 6, 6)]    // the token kernel's G = Z Qᵀ (d = 5)
    [InlineData(21, 21, 6)]   // its scores
    [InlineData(6, 6, 21)]    // its parameter gradients
    [InlineData(30, 5, 21)]   // the feature MLP's W̄₁
    [InlineData(5, 9, 0)]     // no inner terms: C stays its start
    public void EveryEntry_EqualsAscendingFmas_BitForBit(int rows, int columns, int inner)
    {
        foreach (bool transposeA in new[] { false, true })
            foreach (bool transposeB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                {
                    Vector256<float>[] a = RandomLanes(rows * inner + 3, 1), b = RandomLanes(inner * columns + 3, 2);
                    int cRow = columns + 2;   // C wider than the product: the extra columns must stay untouched
                    Vector256<float>[] c = RandomLanes(rows * cRow, 3), before = (Vector256<float>[])c.Clone();
                    var opA = transposeA ? StridedOperand<Vector256<float>>.Transposed(a, rows) : StridedOperand<Vector256<float>>.RowMajor(a, inner);
                    var opB = transposeB ? StridedOperand<Vector256<float>>.Transposed(b, inner) : StridedOperand<Vector256<float>>.RowMajor(b, columns);
                    LaneStridedProduct<Float256, Vector256<float>, float>.Multiply(rows, columns, inner, opA, opB, c, cRow, accumulate);
                    for (int r = 0; r < rows; r++)
                        for (int col = 0; col < cRow; col++)
                            for (int lane = 0; lane < Lanes; lane++)
                            {
                                float expected = before[r * cRow + col][lane];
                                if (col < columns)
                                {
                                    float acc = accumulate ? expected : 0f;
                                    for (int m = 0; m < inner; m++)
                                        acc = MathF.FusedMultiplyAdd(a[transposeA ? m * rows + r : r * inner + m][lane],
                                            b[transposeB ? col * inner + m : m * columns + col][lane], acc);
                                    expected = acc;
                                }
                                Assert.True(expected == c[r * cRow + col][lane],
                                    $"C[{r}, {col}] lane {lane} (Aᵀ {transposeA}, Bᵀ {transposeB}, accumulate {accumulate}): {c[r * cRow + col][lane]} vs {expected}");
                            }
                }
    }

    [Theory]
    [InlineData(21, 30, 5)]   // the feature MLP's ReLU(W₁ x + b₁)
    [InlineData(21, 5, 30)]   // its W₂ h + b₂ (C's rows are tokens of k = 6)
    [InlineData(3, 7, 4)]
    [InlineData(2, 3, 0)]     // no inner terms: C is the bias (ReLU'd)
    public void FromBias_EqualsBiasThenAscendingFmas_ThenReLU_BitForBit(int rows, int columns, int inner)
    {
        foreach (bool relu in new[] { false, true })
        {
            Vector256<float>[] a = RandomLanes(rows * inner, 4), b = RandomLanes(inner * columns, 5), bias = RandomLanes(columns, 6);
            int cRow = columns + 1;
            Vector256<float>[] c = RandomLanes(rows * cRow, 7), before = (Vector256<float>[])c.Clone();
            LaneStridedProduct<Float256, Vector256<float>, float>.MultiplyFromBias(rows, columns, inner,
                StridedOperand<Vector256<float>>.RowMajor(a, inner), StridedOperand<Vector256<float>>.Transposed(b, inner), bias, c, cRow, relu);
            for (int r = 0; r < rows; r++)
                for (int col = 0; col < cRow; col++)
                    for (int lane = 0; lane < Lanes; lane++)
                    {
                        float expected = before[r * cRow + col][lane];
                        if (col < columns)
                        {
                            float acc = bias[col][lane];
                            for (int m = 0; m < inner; m++) acc = MathF.FusedMultiplyAdd(a[r * inner + m][lane], b[col * inner + m][lane], acc);
                            expected = relu ? MathF.Max(acc, 0f) : acc;
                        }
                        Assert.True(expected == c[r * cRow + col][lane], $"C[{r}, {col}] lane {lane} (ReLU {relu}): {c[r * cRow + col][lane]} vs {expected}");
                    }
        }
    }

    [Fact]
    public void ABiasShorterThanTheColumns_IsRefused()
    {
        var a = new Vector256<float>[6];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LaneStridedProduct<Float256, Vector256<float>, float>.MultiplyFromBias(
            2, 3, 3, StridedOperand<Vector256<float>>.RowMajor(a, 3), StridedOperand<Vector256<float>>.RowMajor(new Vector256<float>[9], 3),
            new Vector256<float>[2], new Vector256<float>[6], 3, relu: true));
        Assert.Equal("bias", error.ParamName);
    }

    [Fact]
    public void AnOperandTooShortForTheShape_IsRefused()
    {
        var a = new Vector256<float>[5];
        var b = new Vector256<float>[6];
        var c = new Vector256<float>[6];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LaneStridedProduct<Float256, Vector256<float>, float>.Multiply(
            2, 3, 3, StridedOperand<Vector256<float>>.RowMajor(a, 3), StridedOperand<Vector256<float>>.RowMajor(b, 3), c, 3, false));
        Assert.Equal("a", error.ParamName);
        Assert.Contains("element 5", error.Message);
    }
}
