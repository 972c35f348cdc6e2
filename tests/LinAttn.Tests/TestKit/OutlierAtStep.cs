using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.Tests.TestKit;

/// <summary>Every batch from <paramref name="inner"/>, but at <paramref name="steps"/> the tokens of <see cref="Prompts"/>
/// prompts from prompt 5 on are multiplied by <paramref name="scale"/>: rare prompts on demand.</summary>
internal sealed class OutlierAtStep(IPromptBatchSource inner, float scale, params int[] steps) : IPromptBatchSource
{
    public OutlierAtStep(IPromptBatchSource inner, int step, float scale) : this(inner, scale, step)
    {
    }

    /// <summary>How many prompts (5, 6, …) are scaled; 1 by default.</summary>
    public int Prompts { get; init; } = 1;

    public PromptBatch Next(int t)
    {
        PromptBatch batch = inner.Next(t);
        if (!steps.Contains(t)) return batch;
        float[] tokens = batch.Tokens.ToArray();
        int perPrompt = (batch.ContextLength + 1) * (batch.Dimension + 1);
        for (int i = 5 * perPrompt; i < (5 + Prompts) * perPrompt; i++) tokens[i] *= scale;
        return new PromptBatch(batch.BatchSize, batch.ContextLength, batch.Dimension, tokens, batch.Targets.ToArray());
    }
}
