using System.Globalization;
using LinAttn.MLNet.Internal;
using LinAttn.Tasks;
using LinAttn.Training;
using Microsoft.ML;

namespace LinAttn.MLNet.Training;

/// <summary>
/// Streams the training IDataView through a cursor: each step takes the next B rows of the data repeated end to end
/// (a new cursor starts each pass), so only one batch is in memory. Step t of a run always reads the same rows.
/// </summary>
internal sealed class DataViewBatchSource : IPromptBatchSource, IDisposable
{
    private readonly IDataView _data;
    private readonly PromptShape _shape;
    private readonly string _featureColumn, _labelColumn;
    private readonly string? _lengthColumn;
    private readonly int _batchSize;
    private DataViewRowCursor? _cursor;
    private PromptRowReader? _reader;
    private long _row;

    public DataViewBatchSource(IDataView data, PromptShape shape, string featureColumn, string labelColumn, string? lengthColumn, int batchSize)
    {
        _data = data;
        _shape = shape;
        _featureColumn = featureColumn;
        _labelColumn = labelColumn;
        _lengthColumn = lengthColumn;
        _batchSize = batchSize;
    }

    /// <summary>Passes started so far (1 after the first row is read).</summary>
    public int Passes { get; private set; }

    /// <summary>Number of rows: the view's own count when it knows it, else one pass of a cursor with no active column.</summary>
    public static long CountRows(IDataView data, CancellationToken cancellationToken)
    {
        if (data.GetRowCount() is long known) return known;
        long count = 0;
        using DataViewRowCursor cursor = data.GetRowCursor(Array.Empty<Microsoft.ML.DataViewSchema.Column>());
        while (cursor.MoveNext())
        {
            count++;
            if ((count & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
        }
        return count;
    }

    /// <inheritdoc />
    public PromptBatch Next(int step)
    {
        int stride = (_shape.ContextLength + 1) * (_shape.Dimension + 1);
        var tokens = new float[_batchSize * stride];
        var targets = new float[_batchSize];
        int[]? lengths = _lengthColumn is null ? null : new int[_batchSize];
        for (int b = 0; b < _batchSize; b++)
        {
            if (_cursor is null || !_cursor.MoveNext())
            {
                Restart();
                if (!_cursor!.MoveNext())
                    throw new InvalidOperationException("The training data has no rows: Fit needs at least one prompt.");
            }
            var (label, length) = _reader!.Read(_row++, tokens.AsSpan(b * stride, stride));
            targets[b] = label;
            if (lengths is not null) lengths[b] = length;
        }
        return new PromptBatch(_batchSize, _shape.ContextLength, _shape.Dimension, tokens, targets, lengths);
    }

    /// <summary>The first <paramref name="count"/> rows as one batch (the fixed monitor batch), read with its own cursor.</summary>
    public PromptBatch ReadFirst(int count)
    {
        using var first = new DataViewBatchSource(_data, _shape, _featureColumn, _labelColumn, _lengthColumn, count);
        return first.Next(0);
    }

    private void Restart()
    {
        _cursor?.Dispose();
        _cursor = _data.GetRowCursor(PromptRowReader.Columns(_data.Schema, _featureColumn, _labelColumn, _lengthColumn));
        _reader = new PromptRowReader(_cursor, _shape, _featureColumn, _labelColumn, _lengthColumn);
        _row = 0;
        Passes++;
    }

    /// <inheritdoc />
    public void Dispose() => _cursor?.Dispose();

    /// <summary>A description for messages, e.g. "1,000 rows".</summary>
    public static string Rows(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + (count == 1 ? " row" : " rows");
}
