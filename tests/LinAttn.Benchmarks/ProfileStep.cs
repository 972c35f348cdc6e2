using LinAttn.Internal;
using LinAttn.Benchmarks.Harness;
using LinAttn.Model;
using LinAttn.Random;
using LinAttn.Tasks;
using LinAttn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LinAttn.Benchmarks;

/// <summary>Where a TorchSharp step spends its time (development aid).</summary>
internal static class ProfileStep
{
    public static void Run(int batch, int threads)
    {
        torch.set_num_threads(threads);
        RunSpec spec = PaperPresets.Get("setting1", OptimizerKind.Adam);
        var sampler = new PromptSampler(spec.Task);
        PromptBatch data = sampler.Sample(batch, 0, StreamPurpose.Training, 0, threads);
        using var model = new LinearTransformer(spec.Model, 0);
        double[] theta = model.GetParameters();
        void Report(string name, Action a) { int it = Timing.Calibrate(a, 0.2); Console.WriteLine($"{name,-28} {Timing.Measure(a, it, 5).Format()}"); }
        Report("ToTensors", () => { using var s = NewDisposeScope(); data.ToTensors(CPU, Precision.Float32); });
        using var t = data.ToTensors(CPU, Precision.Float32);
        Report("forward (no grad)", () => { using var s = NewDisposeScope(); using var g = no_grad(); model.Loss(t.Tokens, t.Targets).ReadDouble(); });
        Report("forward+backward", () => { using var s = NewDisposeScope(); model.Weights.grad?.zero_(); var l = model.Loss(t.Tokens, t.Targets); l.backward(); });
        Report("grad to managed", () => { using var s = NewDisposeScope(); model.Weights.grad!.cpu().data<float>().ToArray(); });
        Report("SetParameters", () => model.SetParameters(theta));
        Report("context moment bmm", () => { using var s = NewDisposeScope(); var c = t.Tokens.narrow(1, 0, 20); c.transpose(1, 2).matmul(c); });
        Report("6x6 @ [B,6,6]", () => { using var s = NewDisposeScope(); var c = t.Tokens.narrow(1, 0, 6); var m = torch.ones(6, 6); m.matmul(c); });
        Report("[B,6,6] @ [B,6,6]", () => { using var s = NewDisposeScope(); var c = t.Tokens.narrow(1, 0, 6); c.matmul(c); });
        Report("SoA [6,6,B] mul-sum", () => { using var s = NewDisposeScope(); var c = t.Tokens.narrow(1, 0, 6).permute(1, 2, 0).contiguous(); (c.unsqueeze(2) * c.unsqueeze(0)).sum(1); });
        Report("einsum bij,bjk", () => { using var s = NewDisposeScope(); var c = t.Tokens.narrow(1, 0, 6); torch.einsum("bij,bjk->bik", c, c); });
        Report("shared right GEMM", () => { using var s = NewDisposeScope(); var c = t.Tokens.narrow(1, 0, 6).contiguous(); var m = torch.ones(6, 6); c.view(-1, 6).matmul(m); });
        Report("elementwise [B,6,6] mul", () => { using var s = NewDisposeScope(); var c = t.Tokens.narrow(1, 0, 6); (c * c).sum(-1); });
        Report("[B,6,6] bcast-mul-sum", () => { using var s = NewDisposeScope(); var c = t.Tokens.narrow(1, 0, 6); (c.unsqueeze(-1) * c.unsqueeze(-3)).sum(-2); });
    }
}
