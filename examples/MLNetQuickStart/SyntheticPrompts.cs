using LinAttn.Random;
using LinAttn.Tasks;

namespace LinAttn.Examples.MLNet;

/// <summary>Makes prompts of the paper's Setting 1 (x ~ N(0, I_5), w* ~ N(0, I_5), y = w*ᵀx, n = 20) with the core
/// sampler, in the shape of <see cref="Prompt"/>.</summary>
public static class SyntheticPrompts
{
    /// <summary>Draws <paramref name="count"/> prompts; the same seed gives the same prompts.</summary>
    public static Prompt[] Setting1(int count, ulong seed)
    {
        const int d = 5, n = 20, k = d + 1;
        PromptBatch batch = new PromptSampler(new TaskOptions { Dimension = d, ContextLength = n }).Sample(count, seed, StreamPurpose.Training, 0);
        var prompts = new Prompt[count];
        for (int b = 0; b < count; b++)
        {
            ReadOnlySpan<float> tokens = batch.Tokens.AsSpan(b * batch.PromptStride, batch.PromptStride);
            var prompt = new Prompt { ContextX = new float[n * d], ContextY = new float[n], QueryX = tokens.Slice(n * k, d).ToArray(), Label = batch.Targets[b] };
            for (int i = 0; i < n; i++)
            {
                tokens.Slice(i * k, d).CopyTo(prompt.ContextX.AsSpan(i * d));
                prompt.ContextY[i] = tokens[i * k + d];
            }
            prompts[b] = prompt;
        }
        return prompts;
    }
}
