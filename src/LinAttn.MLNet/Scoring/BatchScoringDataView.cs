using LinAttn.Engine;
using LinAttn.MLNet.Persistence;
using LinAttn.Model;
using LinAttn.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LinAttn.MLNet.Scoring;

/// <summary>
/// The fitted transformer's <c>Transform</c> output for linear attention: the input columns plus the score column,
/// where scores are computed a block of rows at a time by the fast engine (one prompt per SIMD lane). A second cursor
/// reads the features ahead of the row cursor; every other column comes from the row cursor itself. Scores are
/// bit-identical to the per-row chain that <c>mlContext.Model.Save</c> writes (see <see cref="EnginePromptScorer"/>).
/// </summary>
internal sealed class BatchScoringDataView : IDataView
{
    /// <summary>Rows scored per block.</summary>
    public const int BlockRows = 256;

    private readonly IDataView _input;
    private readonly ScoringModel _model;
    private readonly string _featureColumn;
    private readonly string? _lengthColumn;

    public BatchScoringDataView(IDataView input, ScoringModel model, string featureColumn, string? lengthColumn, string scoreColumn)
    {
        _input = input;
        _model = model;
        _featureColumn = featureColumn;
        _lengthColumn = lengthColumn;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input.Schema);
        builder.AddColumn(scoreColumn, NumberDataViewType.Single);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, System.Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        int scoreIndex = Schema.Count - 1;
        bool wantScore = needed.Any(c => c.Index == scoreIndex);
        var inputColumns = needed.Where(c => c.Index != scoreIndex).Select(c => _input.Schema[c.Index]).ToList();
        DataViewRowCursor rows = _input.GetRowCursor(inputColumns);
        BlockScorer? scorer = null;
        if (wantScore)
        {
            var scoreInputs = new List<DataViewSchema.Column> { _input.Schema[_featureColumn] };
            if (_lengthColumn is not null) scoreInputs.Add(_input.Schema[_lengthColumn]);
            scorer = new BlockScorer(_input.GetRowCursor(scoreInputs), _model, _featureColumn, _lengthColumn);
        }
        return new Cursor(this, rows, scorer, scoreIndex);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, System.Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchScoringDataView _parent;
        private readonly DataViewRowCursor _rows;
        private readonly BlockScorer? _scorer;
        private readonly int _scoreIndex;

        public Cursor(BatchScoringDataView parent, DataViewRowCursor rows, BlockScorer? scorer, int scoreIndex)
        {
            _parent = parent;
            _rows = rows;
            _scorer = scorer;
            _scoreIndex = scoreIndex;
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _rows.Position;

        public override long Batch => _rows.Batch;

        public override bool MoveNext()
        {
            if (!_rows.MoveNext()) return false;
            _scorer?.Advance();
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index == _scoreIndex ? _scorer is not null : _rows.IsColumnActive(_rows.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _scoreIndex) return _rows.GetGetter<TValue>(_rows.Schema[column.Index]);
            if (_scorer is null) throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            if (typeof(TValue) != typeof(float))
                throw new InvalidOperationException($"Column '{column.Name}' is Single; a getter of {typeof(TValue).Name} was requested.");
            BlockScorer scorer = _scorer;
            ValueGetter<float> getter = (ref float value) => value = scorer.Current;
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _rows.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rows.Dispose();
                _scorer?.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    // Reads the features of the next BlockRows rows from its own cursor, scores them in one engine call, and hands the
    // scores out one row at a time in step with the row cursor.
    private sealed class BlockScorer : IDisposable
    {
        private readonly DataViewRowCursor _cursor;
        private readonly ScoringModel _model;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly ValueGetter<float>? _length;
        private readonly FastPredictor _predictor;
        private readonly float[] _tokens;
        private readonly int[] _lengths = new int[BlockRows];
        private readonly double[] _scores = new double[BlockRows];
        private readonly int _stride;
        private VBuffer<float> _buffer;
        private int _count, _next;

        public BlockScorer(DataViewRowCursor cursor, ScoringModel model, string featureColumn, string? lengthColumn)
        {
            _cursor = cursor;
            _model = model;
            _features = cursor.GetGetter<VBuffer<float>>(cursor.Schema[featureColumn]);
            _length = lengthColumn is null ? null : cursor.GetGetter<float>(cursor.Schema[lengthColumn]);
            ModelPayload payload = model.Payload;
            _predictor = new FastPredictor(payload.Model with { Precision = Precision.Float64 }, payload.Parameters);
            _stride = (payload.ContextLength + 1) * (payload.Model.Dimension + 1);
            _tokens = new float[BlockRows * _stride];
        }

        public float Current { get; private set; }

        public void Advance()
        {
            if (_next == _count) Fill();
            Current = (float)_scores[_next++];
        }

        private void Fill()
        {
            _count = 0;
            _next = 0;
            while (_count < BlockRows && _cursor.MoveNext())
            {
                _features(ref _buffer);
                float? length = null;
                if (_length is not null)
                {
                    float value = 0;
                    _length(ref value);
                    length = value;
                }
                ReadOnlySpan<float> features = _buffer.IsDense ? _buffer.GetValues() : Densify();
                _lengths[_count] = _model.WriteTokens(features, length, _tokens.AsSpan(_count * _stride, _stride));
                _count++;
            }
            if (_count == 0) throw new InvalidOperationException("The score cursor ran out of rows before the row cursor.");
            int n = _model.Payload.ContextLength, d = _model.Payload.Model.Dimension;
            var batch = new PromptBatch(_count, n, d, _count == BlockRows ? _tokens : _tokens.AsSpan(0, _count * _stride).ToArray(),
                new float[_count], _lengths.AsSpan(0, _count).ToArray());
            _predictor.Predict(batch, _scores.AsSpan(0, _count));
        }

        private float[] Densify()
        {
            var dense = new float[_buffer.Length];
            _buffer.CopyTo(dense);
            return dense;
        }

        public void Dispose() => _cursor.Dispose();
    }
}
