using System.Numerics;
using System.Runtime.CompilerServices;

namespace LinAttn.Random;

/// <summary>Box–Muller gives normals in pairs; the queue hands them out one at a time, in the same order for every
/// lane (the second of a pair is the next value asked for).</summary>
internal struct NormalQueue
{
    private Vector<float> _spare;
    private bool _hasSpare;

    /// <summary>The next N(0, 1) value per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Next(ref LaneRandom random)
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        random.NextNormalPair(out Vector<float> first, out _spare);
        _hasSpare = true;
        return first;
    }
}
