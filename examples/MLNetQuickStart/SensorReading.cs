namespace LinAttn.Examples.MLNet;

/// <summary>One row of an ordinary grouped table: a sensor, three normalised inputs and the measured output.</summary>
public sealed class SensorReading
{
    /// <summary>The group: which sensor took the reading.</summary>
    public string Sensor = string.Empty;

    /// <summary>Input 1 (already normalised to mean 0, variance 1).</summary>
    public float Temperature;

    /// <summary>Input 2 (normalised).</summary>
    public float Humidity;

    /// <summary>Input 3 (normalised).</summary>
    public float Load;

    /// <summary>The measured output: a different linear response for every sensor, plus noise.</summary>
    public float Output;
}
