using System.Runtime.Intrinsics;
using LinAttn.Engine;
using LinAttn.Engine.Simd;
using LinAttn.Random;
using LinAttn.Tasks;

namespace LinAttn.Tests.Engine;

/// <summary>
/// The lane-matrix products (register-blocked for k = 5 and 6, 4×4 tiles for k ≥ 8, a general loop otherwise) against an independent
/// per-lane reference: every entry must equal, bit for bit, FMAs over the inner index in ascending order. That order is
/// the contract that keeps the blocked and general paths (and thus every engine result) identical.
/// </summary>
public sealed class LaneMatrixTests
{
    private const int Lanes = 8;
    private delegate void Product(int k, ReadOnlySpan<Vector256<float>> a, ReadOnlySpan<Vector256<float>> b, Span<Vector256<float>> c);

    private static Vector256<float>[] RandomLanes(int count, int seed)
    {
        var random = new System.Random(seed);
        var values = new Vector256<float>[count];
        var lane = new float[Lanes];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < Lanes; j++) lane[j] = (float)(random.NextDouble() * 2 - 1);
            values[i] = Vector256.Create(lane);
        }
        return values;
    }

    // Σ_m A(i, m) B(m, j) per lane, MathF FMAs in ascending m, starting from 0 or from C.
    private static float Reference(int k, Vector256<float>[] a, Vector256<float>[] b, Vector256<float>[] c, int i, int j, int lane,
        bool transposeA, bool transposeB, bool accumulate)
    {
        float acc = accumulate ? c[i * k + j][lane] : 0f;
        for (int m = 0; m < k; m++)
        {
            float x = a[transposeA ? m * k + i : i * k + m][lane];
            float y = b[transposeB ? j * k + m : m * k + j][lane];
            acc = MathF.FusedMultiplyAdd(x, y, acc);
        }
        return acc;
    }

    // 5, 6: register-blocked; 8, 9, 11, 20, 21: 4×4 tiles with leftover rows and columns (fig5's d = 20); others general.
    public static IEnumerable<object[]> Sizes() => new[] { 3, 4, 5, 6, 7, 8, 9, 11, 20, 21 }.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatrixProducts_EqualAscendingFmaReference_BitForBit(int k)
    {
        var cases = new (string Name, Product Run, bool TransposeA, bool TransposeB, bool Accumulate)[]
        {
            ("A B", LaneMatrix<Float256, Vector256<float>, float>.Multiply, false, false, false),
            ("C + A B", LaneMatrix<Float256, Vector256<float>, float>.MultiplyAccumulate, false, false, true),
            ("A Bᵀ", LaneMatrix<Float256, Vector256<float>, float>.MultiplyTransposed, false, true, false),
            ("C + A Bᵀ", LaneMatrix<Float256, Vector256<float>, float>.MultiplyTransposedAccumulate, false, true, true),
            ("Aᵀ B", LaneMatrix<Float256, Vector256<float>, float>.MultiplyTransposeLeft, true, false, false),
            ("C + Aᵀ B", LaneMatrix<Float256, Vector256<float>, float>.MultiplyTransposeLeftAccumulate, true, false, true),
        };
        foreach (var (name, run, transposeA, transposeB, accumulate) in cases)
        {
            Vector256<float>[] a = RandomLanes(k * k, 1), b = RandomLanes(k * k, 2), c0 = RandomLanes(k * k, 3);
            var c = (Vector256<float>[])c0.Clone();
            run(k, a, b, c);
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    for (int lane = 0; lane < Lanes; lane++)
                    {
                        float expected = Reference(k, a, b, c0, i, j, lane, transposeA, transposeB, accumulate);
                        Assert.True(expected == c[i * k + j][lane], $"{name}, k = {k}: C[{i},{j}] lane {lane} = {c[i * k + j][lane]:R}, expected {expected:R}");
                    }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SymmetricProduct_IsTheUpperTriangleMirrored(int k)
    {
        Vector256<float>[] a = RandomLanes(k * k, 4), b = RandomLanes(k * k, 5);
        Vector256<float>[] c = RandomLanes(k * k, 6);   // stale values: every entry must be written or mirrored
        LaneMatrix<Float256, Vector256<float>, float>.MultiplyTransposedSymmetric(k, a, b, c);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                for (int lane = 0; lane < Lanes; lane++)
                {
                    float expected = Reference(k, a, b, c, Math.Min(i, j), Math.Max(i, j), lane, false, true, false);
                    Assert.True(expected == c[i * k + j][lane], $"k = {k}: C[{i},{j}] lane {lane}");
                }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatrixVectorProducts_EqualAscendingFmaReference_BitForBit(int k)
    {
        Vector256<float>[] a = RandomLanes(k * k, 6), x = RandomLanes(k, 7), y0 = RandomLanes(k, 8);
        foreach (bool transpose in new[] { false, true })
            foreach (bool accumulate in new[] { false, true })
            {
                var y = (Vector256<float>[])y0.Clone();
                if (transpose && accumulate) LaneMatrix<Float256, Vector256<float>, float>.MultiplyTransposedVectorAccumulate(k, a, x, y);
                else if (transpose) LaneMatrix<Float256, Vector256<float>, float>.MultiplyTransposedVector(k, a, x, y);
                else if (accumulate) LaneMatrix<Float256, Vector256<float>, float>.MultiplyVectorAccumulate(k, a, x, y);
                else LaneMatrix<Float256, Vector256<float>, float>.MultiplyVector(k, a, x, y);
                for (int i = 0; i < k; i++)
                    for (int lane = 0; lane < Lanes; lane++)
                    {
                        float acc = accumulate ? y0[i][lane] : 0f;
                        for (int j = 0; j < k; j++) acc = MathF.FusedMultiplyAdd(a[transpose ? j * k + i : i * k + j][lane], x[j][lane], acc);
                        Assert.True(acc == y[i][lane], $"transpose {transpose}, accumulate {accumulate}, k = {k}: y[{i}] lane {lane}");
                    }
            }
    }

    [Theory]
    [InlineData(5, false)]   // k = 6: the register-blocked moments
    [InlineData(5, true)]
    [InlineData(3, false)]   // k = 4, 2, 5, 9 and 21 (fig5): the general loop
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(8, false)]
    [InlineData(20, false)]
    [InlineData(20, true)]
    [InlineData(20, false, 37)]   // longer prompts
    [InlineData(4, true, 33)]
    public void PromptBlock_Moments_EqualAscendingFmaReference_BitForBit(int d, bool fromTiles, int n = 7)
    {
        PromptBatch tiles = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = n }).Sample(Lanes, 3, StreamPurpose.Evaluation, 0, 1);
        PromptBatch batch = fromTiles ? tiles : new PromptBatch(Lanes, n, d, tiles.Tokens, tiles.Targets);
        var block = new PromptBlock<Float256, Vector256<float>, float>(d);
        block.Load(batch, 0);
        AssertMomentsEqualReference(batch, Lanes, (entry, lane) => block.S0[entry][lane]);
    }

    // 16 lanes = one whole tile: the production path on AVX-512, which reads the sampler's tiles in place.
    [Fact]
    public void PromptBlock_Float512_ReadsTilesInPlace_MomentsEqualAscendingFmaReference_BitForBit()
    {
        int d = 5, n = 7, lanes = Vector512<float>.Count;
        PromptBatch tiles = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = n }).Sample(2 * lanes, 5, StreamPurpose.Evaluation, 0, 1);
        var block = new PromptBlock<Float512, Vector512<float>, float>(d);
        block.Load(tiles, lanes);   // the second tile
        AssertMomentsEqualReference(tiles.Slice(lanes, lanes), lanes, (entry, lane) => block.S0[entry][lane]);
    }

    private static void AssertMomentsEqualReference(PromptBatch batch, int lanes, Func<int, int, float> s0)
    {
        int n = batch.ContextLength, k = batch.Dimension + 1;
        for (int lane = 0; lane < lanes; lane++)
        {
            ReadOnlySpan<float> prompt = batch.Tokens.AsSpan(lane * batch.PromptStride, batch.PromptStride);
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    float acc = 0f;
                    for (int t = 0; t < n; t++) acc = MathF.FusedMultiplyAdd(prompt[t * k + Math.Min(i, j)], prompt[t * k + Math.Max(i, j)], acc);
                    Assert.True(acc == s0(i * k + j, lane), $"d = {k - 1}: S0[{i},{j}] lane {lane}");
                }
        }
    }

    // Both float64 widths (4 and 8 lanes: half and a quarter of a tile), n = 20 and an odd n.
    [Theory]
    [InlineData(20)]
    [InlineData(7)]
    public void PromptBlock_Float64_FromTiles_EqualsTheTokenLayout_BitForBit(int n)
    {
        CheckFloat64FromTiles<Double256, Vector256<double>>(n);
        CheckFloat64FromTiles<Double512, Vector512<double>>(n);
    }

    private static void CheckFloat64FromTiles<TOps, TVec>(int n)
        where TOps : struct, ISimdOps<TVec, double>
        where TVec : unmanaged
    {
        int d = 5, k = d + 1, width = TOps.Width;
        PromptBatch tiles = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = n }).Sample(32, 4, StreamPurpose.Evaluation, 0, 1);
        var tokens = new PromptBatch(32, n, d, tiles.Tokens, tiles.Targets);
        var fromTiles = new PromptBlock<TOps, TVec, double>(d);
        var fromTokens = new PromptBlock<TOps, TVec, double>(d);
        for (int start = 0; start < 32; start += width)
        {
            fromTiles.Load(tiles, start);
            fromTokens.Load(tokens, start);
            for (int i = 0; i < k * k; i++) Assert.Equal(fromTokens.S0[i], fromTiles.S0[i]);
            for (int i = 0; i < k; i++) Assert.Equal(fromTokens.Query[i], fromTiles.Query[i]);
            Assert.Equal(fromTokens.Target, fromTiles.Target);
            Assert.Contains(Enumerable.Range(0, width), lane => TOps.GetLane(fromTiles.S0[0], lane) != 0);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void OuterPair_EqualsTwoOuterAccumulatesIntoZero_BitForBit(int k)
    {
        Vector256<float>[] a = RandomLanes(k, 9), b = RandomLanes(k, 10), e = RandomLanes(k, 11), f = RandomLanes(k, 12);
        var expected = new Vector256<float>[k * k];
        LaneMatrix<Float256, Vector256<float>, float>.OuterAccumulate(k, a, b, expected);
        LaneMatrix<Float256, Vector256<float>, float>.OuterAccumulate(k, e, f, expected);
        var actual = RandomLanes(k * k, 13);   // overwritten, whatever it held
        LaneMatrix<Float256, Vector256<float>, float>.OuterPair(k, a, b, e, f, actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(75)]
    [InlineData(150)]
    public void SumLanesInto_EqualsLaneOrderDoubleSums_BitForBit(int count)
    {
        Vector256<float>[] vectors = RandomLanes(count, 14);
        var sums = new double[count + 1];
        sums[count] = 42;   // past the vectors: left alone
        LaneMatrix<Float256, Vector256<float>, float>.SumLanesInto(vectors, sums);
        for (int i = 0; i < count; i++)
        {
            double expected = 0;
            for (int lane = 0; lane < Lanes; lane++) expected += vectors[i][lane];
            Assert.Equal(expected, sums[i]);
        }
        Assert.Equal(42, sums[count]);
        if (count > 0)
            Assert.Throws<ArgumentException>(() => LaneMatrix<Float256, Vector256<float>, float>.SumLanesInto(vectors, new double[count - 1]));
    }
}
