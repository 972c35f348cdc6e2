using System.Runtime.InteropServices;

namespace LinAttn.MLNet.Persistence;

/// <summary>
/// Decodes the model payload once per model and hands the same <see cref="ScoringModel"/> to every row. Keyed on the
/// payload value: the value map returns the same backing string for every row, so a reference check is the fast path;
/// a different string with equal content is recognised by comparing the text. Thread-safe (immutable entries swapped
/// atomically).
/// </summary>
internal sealed class ScorerCache
{
    private volatile Entry? _entry;

    public ScoringModel Get(ReadOnlyMemory<char> payload)
    {
        Entry? entry = _entry;
        if (entry is not null && entry.Matches(payload)) return entry.Model;
        var text = payload.ToString();
        var fresh = new Entry(payload, text, new ScoringModel(ModelPayload.Parse(text)));
        _entry = fresh;
        return fresh.Model;
    }

    private sealed class Entry
    {
        private readonly object? _owner;
        private readonly int _start;
        private readonly string _text;

        public Entry(ReadOnlyMemory<char> memory, string text, ScoringModel model)
        {
            (_owner, _start) = Owner(memory);
            _text = text;
            Model = model;
        }

        public ScoringModel Model { get; }

        public bool Matches(ReadOnlyMemory<char> memory)
        {
            if (memory.Length != _text.Length) return false;
            var (owner, start) = Owner(memory);
            if (owner is not null && ReferenceEquals(owner, _owner) && start == _start) return true;
            return memory.Span.SequenceEqual(_text);
        }

        private static (object? Owner, int Start) Owner(ReadOnlyMemory<char> memory)
        {
            if (MemoryMarshal.TryGetString(memory, out string? text, out int start, out _)) return (text, start);
            if (MemoryMarshal.TryGetArray(memory, out ArraySegment<char> segment)) return (segment.Array, segment.Offset);
            return (null, 0);
        }
    }
}
