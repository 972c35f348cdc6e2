using System.Diagnostics;
using System.Globalization;

namespace LinAttn.AutoML;

/// <summary>
/// Runs a storage operation and, when it fails with a transient error (lost connection, server restarting, lock
/// timeout), runs it again after an exponential backoff with jitter (0.1 s doubling to at most 5 s) until it succeeds
/// or <see cref="RetryFor"/> has passed. Operations must be idempotent or transactional (every store operation is).
/// Messages name the store by <see cref="Where"/>, which never holds a password.
/// </summary>
internal sealed class StorageRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(0.1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly Func<Exception, bool> _isTransient;
    private readonly Action? _onTransient;

    public StorageRetry(string where, TimeSpan retryFor, Func<Exception, bool> isTransient, Action? onTransient = null)
    {
        Where = where;
        RetryFor = retryFor;
        _isTransient = isTransient;
        _onTransient = onTransient;
    }

    /// <summary>The store, for messages (engine, user, host, port, database or file; no credentials).</summary>
    public string Where { get; }

    /// <summary>How long to keep retrying one operation.</summary>
    public TimeSpan RetryFor { get; }

    /// <summary>Receives one line per retry.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Runs <paramref name="operation"/>; with <paramref name="retry"/> false, a transient error is thrown at once.</summary>
    public T Run<T>(string what, Func<T> operation, bool retry = true)
    {
        var clock = Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return operation();
            }
            catch (Exception e) when (_isTransient(e))
            {
                _onTransient?.Invoke();
                if (!retry) throw;
                TimeSpan delay = Delay(attempt);
                if (clock.Elapsed + delay > RetryFor)
                    throw new InvalidOperationException(
                        $"The study store {Where} stayed unavailable for {clock.Elapsed.TotalSeconds:F0} s while {what} (retry limit {RetryFor.TotalSeconds:F0} s): " +
                        $"{FirstLine(e.Message)}. Check that the server is running and reachable, then start the worker again: the study resumes.", e);
                Log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"storage unavailable while {what} ({FirstLine(e.Message)}); retry {attempt} in {delay.TotalSeconds:F1} s"));
                Thread.Sleep(delay);
            }
        }
    }

    /// <summary>0.1 s × 2^(attempt−1), at most 5 s, times a jitter in [0.75, 1.25) so that workers do not retry in step.</summary>
    public static TimeSpan Delay(int attempt)
    {
        double seconds = Math.Min(MaxDelay.TotalSeconds, FirstDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 20)));
        return TimeSpan.FromSeconds(seconds * (0.75 + 0.5 * System.Random.Shared.NextDouble()));
    }

    private static string FirstLine(string message)
    {
        int cut = message.IndexOfAny(['\r', '\n']);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.');
    }
}
