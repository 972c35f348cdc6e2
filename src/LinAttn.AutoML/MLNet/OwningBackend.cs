using LinAttn.Model;
using LinAttn.Tasks;
using LinAttn.Training;

namespace LinAttn.AutoML;

/// <summary>A backend that also disposes the data source of its run (an IDataView cursor) when the run is disposed.</summary>
internal sealed class OwningBackend(ITrainingBackend inner, IDisposable owned) : ITrainingBackend
{
    public ModelOptions Model => inner.Model;

    public StepOutcome Step(PromptBatch batch, double learningRate) => inner.Step(batch, learningRate);

    public double Evaluate(PromptBatch batch) => inner.Evaluate(batch);

    public double[] GetParameters() => inner.GetParameters();

    public void Dispose()
    {
        inner.Dispose();
        owned.Dispose();
    }
}
