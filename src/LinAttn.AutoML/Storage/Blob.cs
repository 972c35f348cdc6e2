namespace LinAttn.AutoML;

/// <summary>Doubles as little-endian IEEE 754 bytes (exact round trip).</summary>
internal static class Blob
{
    public static byte[] FromDoubles(double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), BitConverter.DoubleToInt64Bits(values[i]));
        if (!BitConverter.IsLittleEndian) Array.Reverse(bytes);
        return bytes;
    }

    public static double[] ToDoubles(byte[] bytes)
    {
        var values = new double[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.Int64BitsToDouble(BitConverter.ToInt64(bytes, i * 8));
        return values;
    }
}
