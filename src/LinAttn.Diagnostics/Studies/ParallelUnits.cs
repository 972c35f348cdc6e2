using System.Runtime.ExceptionServices;

namespace LinAttn.Diagnostics.Studies;

/// <summary>Runs independent units on a few dedicated threads, in index order per thread, and rethrows the first
/// failure as itself (a cancellation stays an <see cref="OperationCanceledException"/>, not an aggregate).</summary>
internal static class ParallelUnits
{
    public static void Run(int count, int degree, Action<int> unit)
    {
        int next = -1;
        ExceptionDispatchInfo? failure = null;
        void Work()
        {
            int i;
            while (Volatile.Read(ref failure) is null && (i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    unit(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
            }
        }
        var threads = Enumerable.Range(0, Math.Min(degree, count)).Select(_ => new Thread(Work) { IsBackground = true }).ToArray();
        foreach (Thread t in threads) t.Start();
        foreach (Thread t in threads) t.Join();
        failure?.Throw();
    }
}
