using System.Collections.Concurrent;
using LinAttn.Diagnostics;
using LinAttn.Diagnostics.Sharing;
using LinAttn.Random;

namespace LinAttn.Tests.Diagnostics;

/// <summary>The pool of study units: idle workers help a running unit's published chunks, every chunk runs once,
/// failures and cancellations reach the caller, and a noise measurement gives the same numbers with helpers.</summary>
public sealed class UnitPoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Records which thread processed which chunk; the owner's first chunk waits until a helper has done one,
    /// so the test only passes if idle workers really help.</summary>
    private sealed class RecordingWorker(ConcurrentDictionary<int, int> done, ManualResetEventSlim helped, bool isOwner) : IChunkWorker
    {
        private bool _waited;

        public bool TimedOut { get; private set; }

        public void Process(int chunk)
        {
            Assert.True(done.TryAdd(chunk, Environment.CurrentManagedThreadId), $"chunk {chunk} ran twice");
            if (isOwner && !_waited)
            {
                _waited = true;
                TimedOut = !helped.Wait(Patience);
            }
            if (!isOwner) helped.Set();
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void IdleWorker_HelpsTheLongUnit_AndEveryChunkRunsOnce()
    {
        var done = new ConcurrentDictionary<int, int>();
        using var helped = new ManualResetEventSlim();
        var units = new ConcurrentBag<int>();
        bool timedOut = false;
        UnitPool.Run(3, 2, (i, pool) =>
        {
            units.Add(i);
            if (i != 0) return;   // units 1 and 2 are short: their worker then has nothing left but to help unit 0
            var work = new SharedChunks(40, () => new RecordingWorker(done, helped, isOwner: false), CancellationToken.None);
            pool.Publish(work);
            var own = new RecordingWorker(done, helped, isOwner: true);
            work.Run(own);
            pool.Withdraw(work);
            timedOut = own.TimedOut;
        });
        Assert.False(timedOut, "no helper processed a chunk while the owner waited");
        Assert.Equal(new[] { 0, 1, 2 }, units.Order());
        Assert.Equal(Enumerable.Range(0, 40), done.Keys.Order());
        Assert.Equal(2, done.Values.Distinct().Count());
    }

    [Fact]
    public void HelpersFailure_ReachesTheOwner_AndTheCaller()
    {
        using var helped = new ManualResetEventSlim();
        var failing = new FailingWorker();
        var error = Assert.Throws<InvalidOperationException>(() => UnitPool.Run(2, 2, (i, pool) =>
        {
            if (i != 0) return;
            var work = new SharedChunks(1000, () => failing, CancellationToken.None);
            pool.Publish(work);
            work.Run(new SlowWorker());
            pool.Withdraw(work);
        }));
        Assert.Equal("helper failed", error.Message);
        Assert.True(failing.Disposed);
    }

    [Fact]
    public void Cancellation_StopsOwnerAndHelpers()
    {
        using var cts = new CancellationTokenSource();
        int processed = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => UnitPool.Run(2, 2, (i, pool) =>
        {
            if (i != 0) return;
            var work = new SharedChunks(100_000, () => new CountingWorker(() => Interlocked.Increment(ref processed)), cts.Token);
            pool.Publish(work);
            work.Run(new CountingWorker(() =>
            {
                if (Interlocked.Increment(ref processed) >= 50) cts.Cancel();
            }));
        }));
        Assert.InRange(processed, 50, 1000);
    }

    [Fact]
    public void NoiseWithHelpers_EqualsNoiseAlone_BitForBit()
    {
        var options = new GradientNoiseOptions { LargeBatchMultiple = 20, Minibatches = 400, Bins = 10 };
        using var unused = new ManualResetEventSlim();
        GradientNoiseResult alone = GradientNoise.Measure(new NoisySource(unused), options);
        using var served = new ManualResetEventSlim();

        GradientNoiseResult? shared = null;
        int helperSources = 0;
        var reports = new ConcurrentQueue<int>();
        UnitPool.Run(2, 2, (i, pool) =>
        {
            if (i != 0) return;
            var helpers = new NoiseHelpers(pool, () =>
            {
                Interlocked.Increment(ref helperSources);
                return (new NoisySource(served), null);
            });
            shared = GradientNoise.Measure(new NoisySource(served, waitForHelper: true), options, new Inline(reports.Enqueue), CancellationToken.None, helpers);
        });
        Assert.Equal(1, helperSources);
        Assert.Equal(alone.FullGradient, shared!.FullGradient);
        Assert.Equal(alone.Norms, shared.Norms);
        Assert.Equal(420, reports.Max());
        Assert.Equal(reports.Order(), reports);   // progress only grows
    }

    /// <summary>g_i = cos(j) + 0.3 z_i with z_i from the stream of index i. The owner's source (waitForHelper) blocks
    /// on the first noise minibatch until a helper source has served one.</summary>
    private sealed class NoisySource(ManualResetEventSlim helperServed, bool waitForHelper = false) : IMinibatchGradientSource
    {
        public int ParameterCount => 7;

        public int BatchSize => 1;

        public void Gradient(long index, Span<double> gradient)
        {
            if (waitForHelper && index == 20) Assert.True(helperServed.Wait(Patience), "no helper served a minibatch");
            if (!waitForHelper && index >= 20) helperServed.Set();
            var random = CounterRandom.For(3, 4, (ulong)index);
            for (int j = 0; j < gradient.Length; j++) gradient[j] = Math.Cos(j) + 0.3 * random.NextGaussian();
        }
    }

    private sealed class FailingWorker : IChunkWorker
    {
        public bool Disposed { get; private set; }

        public void Process(int chunk) => throw new InvalidOperationException("helper failed");

        public void Dispose() => Disposed = true;
    }

    private sealed class SlowWorker : IChunkWorker
    {
        public void Process(int chunk) => Thread.Sleep(1);

        public void Dispose()
        {
        }
    }

    private sealed class CountingWorker(Action onChunk) : IChunkWorker
    {
        public void Process(int chunk) => onChunk();

        public void Dispose()
        {
        }
    }

    private sealed class Inline(Action<int> handler) : IProgress<int>
    {
        public void Report(int value) => handler(value);
    }
}
