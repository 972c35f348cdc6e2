using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace LinAttn.Diagnostics.Sharing;

/// <summary>
/// Runs units of work on a fixed number of workers. Workers take units in index order (the caller sorts them, long
/// ones first). A worker that finds no unit left does not stop while others still run: it helps any running unit that
/// has <see cref="Publish">published</see> divisible work, so one long unit at the end no longer leaves a core idle.
/// After a failure no new unit starts; the failure surfaces as itself (a cancellation preferred), not wrapped in an
/// <see cref="AggregateException"/>.
/// </summary>
internal sealed class UnitPool
{
    private readonly object _gate = new();
    private readonly List<SharedChunks> _published = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private int _next = -1;
    private int _running;

    private UnitPool()
    {
    }

    /// <summary>Runs units 0 .. <paramref name="count"/> − 1 on up to <paramref name="degree"/> workers and waits.</summary>
    /// <param name="count">Number of units.</param>
    /// <param name="degree">Number of workers.</param>
    /// <param name="unit">Runs unit i; the pool it gets may be used to publish divisible work.</param>
    public static void Run(int count, int degree, Action<int, UnitPool> unit)
    {
        var pool = new UnitPool();
        Task[] workers = Enumerable.Range(0, Math.Min(degree, count))
            .Select(_ => Task.Factory.StartNew(() => pool.Work(count, unit), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        Task.WaitAll(workers);
        if (!pool._failures.IsEmpty)
        {
            Exception first = pool._failures.FirstOrDefault(x => x is OperationCanceledException) ?? pool._failures.First();
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    /// <summary>Offers <paramref name="work"/> to idle workers until <see cref="Withdraw"/>.</summary>
    public void Publish(SharedChunks work)
    {
        lock (_gate)
        {
            _published.Add(work);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Stops offering <paramref name="work"/>.</summary>
    public void Withdraw(SharedChunks work)
    {
        lock (_gate) _published.Remove(work);
    }

    private void Work(int count, Action<int, UnitPool> unit)
    {
        while (true)
        {
            int i;
            lock (_gate)
            {
                if (!_failures.IsEmpty || (i = ++_next) >= count) break;
                _running++;
            }
            try
            {
                unit(i, this);
            }
            catch (Exception e)
            {
                _failures.Enqueue(e);
            }
            finally
            {
                lock (_gate)
                {
                    _running--;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        HelpUntilAllFinished();
    }

    private void HelpUntilAllFinished()
    {
        while (true)
        {
            SharedChunks? work;
            lock (_gate)
            {
                while ((work = _published.Find(w => w.HasUnclaimed)) is null)
                {
                    if (_running == 0 || !_failures.IsEmpty) return;
                    Monitor.Wait(_gate);
                }
            }
            work.Help();
        }
    }
}
