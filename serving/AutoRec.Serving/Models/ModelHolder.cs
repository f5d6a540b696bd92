namespace AutoRec.Serving.Models;

/// <summary>
/// The generation being served. Swapping is one atomic exchange: a request sees either the old generation or the
/// new one, whole, and keeps the one it took until it disposes its lease.
/// </summary>
internal sealed class ModelHolder : IDisposable
{
    private ModelGeneration? _current;

    /// <summary>The current generation without a lease: for reading its identity only, never for running it.</summary>
    public ModelGeneration? Current => Volatile.Read(ref _current);

    /// <summary>A lease on the current generation (empty while none is loaded); dispose it when the request is done.</summary>
    public GenerationLease Acquire()
    {
        while (true)
        {
            ModelGeneration? generation = Volatile.Read(ref _current);
            if (generation is null)
            {
                return default;
            }

            // Fails only when the generation was swapped out and released between the read and here: take the new one.
            if (generation.TryRetain())
            {
                return new GenerationLease(generation);
            }
        }
    }

    /// <summary>Makes <paramref name="next"/> current; the previous generation is disposed once its last lease is.</summary>
    public void Publish(ModelGeneration next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Interlocked.Exchange(ref _current, next)?.Release();
    }

    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Release();
}

/// <summary>A request's hold on one generation; <see cref="Generation"/> is null when no model is loaded yet.</summary>
internal readonly struct GenerationLease(ModelGeneration? generation) : IDisposable
{
    public ModelGeneration? Generation { get; } = generation;

    public void Dispose() => Generation?.Release();
}
