using System.Runtime.ExceptionServices;

namespace LinAttn.Diagnostics.Sharing;

/// <summary>One participant's state for processing chunks of a <see cref="SharedChunks"/> (its own engine and buffers).</summary>
internal interface IChunkWorker : IDisposable
{
    /// <summary>Processes chunk <paramref name="chunk"/>; must give the same result whichever worker runs it.</summary>
    void Process(int chunk);
}

/// <summary>
/// A unit's work split into numbered chunks that its owner and any idle workers of a <see cref="UnitPool"/> claim one at
/// a time. The owner calls <see cref="Run"/>, which returns when every chunk is done, whoever did it; a helper's
/// failure is rethrown there. Chunks must write disjoint results, so the outcome does not depend on who ran which.
/// </summary>
internal sealed class SharedChunks
{
    private readonly int _count;
    private readonly Func<IChunkWorker> _newHelper;
    private readonly CancellationToken _token;
    private readonly object _gate = new();
    private Exception? _failure;
    private int _next = -1;
    private int _helping;

    /// <summary>Creates the work; nothing runs until <see cref="Run"/> or <see cref="Help"/>.</summary>
    /// <param name="count">Number of chunks.</param>
    /// <param name="newHelper">Creates a helper's worker (called only once a helper has claimed a chunk).</param>
    /// <param name="token">Checked before each chunk.</param>
    public SharedChunks(int count, Func<IChunkWorker> newHelper, CancellationToken token)
    {
        _count = count;
        _newHelper = newHelper;
        _token = token;
    }

    /// <summary>Whether chunks are left to claim and nothing has failed.</summary>
    public bool HasUnclaimed => Volatile.Read(ref _next) < _count - 1 && Volatile.Read(ref _failure) is null;

    /// <summary>Processes chunks with <paramref name="own"/> until none are left, waits for the helpers' chunks in
    /// flight, then throws the first failure (the owner's or a helper's).</summary>
    public void Run(IChunkWorker own)
    {
        try
        {
            Drain(own);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);   // helpers stop claiming once a failure is set
        }
        lock (_gate)
        {
            while (_helping > 0) Monitor.Wait(_gate);
        }
        if (_failure is Exception failure) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    /// <summary>Called by an idle worker: processes chunks until none are left. Never throws; a failure is kept for
    /// the owner.</summary>
    public void Help()
    {
        lock (_gate) _helping++;
        IChunkWorker? worker = null;
        try
        {
            int chunk;
            while (_failure is null && (chunk = Interlocked.Increment(ref _next)) < _count)
            {
                _token.ThrowIfCancellationRequested();
                (worker ??= _newHelper()).Process(chunk);
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            worker?.Dispose();
            lock (_gate)
            {
                _helping--;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Drain(IChunkWorker own)
    {
        int chunk;
        while (_failure is null && (chunk = Interlocked.Increment(ref _next)) < _count)
        {
            _token.ThrowIfCancellationRequested();
            own.Process(chunk);
        }
    }
}
