using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LinAttn.Engine.Simd;

// One struct per (vector width, element type). All members are trivial wrappers the JIT inlines.

internal readonly struct Float512 : ISimdOps<Vector512<float>, float>
{
    public static int Width => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> ExpNonPositive(Vector512<float> x) => VectorExp.NonPositive(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Relu(Vector512<float> x) => Vector512.MaxNative(Vector512<float>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> WherePositive(Vector512<float> condition, Vector512<float> value) => Vector512.ConditionalSelect(Vector512.GreaterThan(condition, Vector512<float>.Zero), value, Vector512<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GetLane(Vector512<float> v, int lane) => v.GetElement(lane);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ReadOnlySpan<float> values) => Vector512.Create(values);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float FromDouble(double value) => (float)value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float FromSingle(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ToDouble(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreDoubles(Vector512<float> v, ref double destination)
    {
        Vector512.WidenLower(v).StoreUnsafe(ref destination);
        Vector512.WidenUpper(v).StoreUnsafe(ref destination, 8);
    }
}

internal readonly struct Float256 : ISimdOps<Vector256<float>, float>
{
    public static int Width => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> ExpNonPositive(Vector256<float> x) => VectorExp.NonPositive(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Relu(Vector256<float> x) => Vector256.MaxNative(Vector256<float>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> WherePositive(Vector256<float> condition, Vector256<float> value) => Vector256.ConditionalSelect(Vector256.GreaterThan(condition, Vector256<float>.Zero), value, Vector256<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GetLane(Vector256<float> v, int lane) => v.GetElement(lane);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ReadOnlySpan<float> values) => Vector256.Create(values);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float FromDouble(double value) => (float)value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float FromSingle(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ToDouble(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreDoubles(Vector256<float> v, ref double destination)
    {
        Vector256.WidenLower(v).StoreUnsafe(ref destination);
        Vector256.WidenUpper(v).StoreUnsafe(ref destination, 4);
    }
}

internal readonly struct FloatScalar : ISimdOps<float, float>
{
    public static int Width => 1;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sub(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Divide(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float ExpNonPositive(float x) => VectorExp.NonPositive(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MulAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => a > b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Relu(float x) => x < 0 ? 0 : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float WherePositive(float condition, float value) => condition > 0 ? value : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GetLane(float v, int lane) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ReadOnlySpan<float> values) => values[0];
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float FromDouble(double value) => (float)value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float FromSingle(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ToDouble(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreDoubles(float v, ref double destination) => destination = v;
}

internal readonly struct Double512 : ISimdOps<Vector512<double>, double>
{
    public static int Width => Vector512<double>.Count;
    public static Vector512<double> Zero => Vector512<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Broadcast(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Sub(Vector512<double> a, Vector512<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Mul(Vector512<double> a, Vector512<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> ExpNonPositive(Vector512<double> x) => VectorExp.NonPositive(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MulAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Max(Vector512<double> a, Vector512<double> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Relu(Vector512<double> x) => Vector512.MaxNative(Vector512<double>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> WherePositive(Vector512<double> condition, Vector512<double> value) => Vector512.ConditionalSelect(Vector512.GreaterThan(condition, Vector512<double>.Zero), value, Vector512<double>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GetLane(Vector512<double> v, int lane) => v.GetElement(lane);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(ReadOnlySpan<double> values) => Vector512.Create(values);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FromDouble(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FromSingle(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ToDouble(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreDoubles(Vector512<double> v, ref double destination) => v.StoreUnsafe(ref destination);
}

internal readonly struct Double256 : ISimdOps<Vector256<double>, double>
{
    public static int Width => Vector256<double>.Count;
    public static Vector256<double> Zero => Vector256<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Broadcast(double value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Sub(Vector256<double> a, Vector256<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Mul(Vector256<double> a, Vector256<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> ExpNonPositive(Vector256<double> x) => VectorExp.NonPositive(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Max(Vector256<double> a, Vector256<double> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Relu(Vector256<double> x) => Vector256.MaxNative(Vector256<double>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> WherePositive(Vector256<double> condition, Vector256<double> value) => Vector256.ConditionalSelect(Vector256.GreaterThan(condition, Vector256<double>.Zero), value, Vector256<double>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GetLane(Vector256<double> v, int lane) => v.GetElement(lane);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(ReadOnlySpan<double> values) => Vector256.Create(values);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FromDouble(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FromSingle(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ToDouble(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreDoubles(Vector256<double> v, ref double destination) => v.StoreUnsafe(ref destination);
}

internal readonly struct DoubleScalar : ISimdOps<double, double>
{
    public static int Width => 1;
    public static double Zero => 0.0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Broadcast(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Add(double a, double b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sub(double a, double b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Mul(double a, double b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Divide(double a, double b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ExpNonPositive(double x) => VectorExp.NonPositive(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double MulAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Max(double a, double b) => a > b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Relu(double x) => x < 0 ? 0 : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double WherePositive(double condition, double value) => condition > 0 ? value : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double GetLane(double v, int lane) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Load(ReadOnlySpan<double> values) => values[0];
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FromDouble(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double FromSingle(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ToDouble(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreDoubles(double v, ref double destination) => destination = v;
}
