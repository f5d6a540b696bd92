using System.Collections.ObjectModel;
using AutoRec.Contracts;

namespace AutoRec.Inference.Network;

/// <summary>
/// Maps a model's dataset ids to its input and output columns, and words the one error for an id the model does
/// not know: an <see cref="ArgumentException"/> naming it.
/// </summary>
internal sealed class ColumnIndex
{
    private readonly Dictionary<int, int> _inputs;
    private readonly Dictionary<int, int> _outputs;

    public ColumnIndex(ModelMetadata metadata)
    {
        // Own copies: the metadata record's arrays are mutable.
        int[] inputs = metadata.InputIds.ToArray();
        int[] outputs = metadata.OutputIds.ToArray();
        InputIds = Array.AsReadOnly(inputs);
        OutputIds = Array.AsReadOnly(outputs);
        ColumnEntity = metadata.Kind.ColumnEntity();
        _inputs = IndexOf(inputs);
        _outputs = IndexOf(outputs);
    }

    /// <summary>The id of each input column.</summary>
    public ReadOnlyCollection<int> InputIds { get; }

    /// <summary>The id of each output column.</summary>
    public ReadOnlyCollection<int> OutputIds { get; }

    /// <summary>What a column's id names: "movie" for user-based models, "user" for item-based ones.</summary>
    public string ColumnEntity { get; }

    public bool TryGetInput(int id, out int column) => _inputs.TryGetValue(id, out column);

    public bool TryGetOutput(int id, out int column) => _outputs.TryGetValue(id, out column);

    /// <summary>The input column of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException">The model has no such input column.</exception>
    public int InputOf(int id, string parameter) =>
        _inputs.TryGetValue(id, out int column) ? column : throw Unknown(id, InputIds.Count, parameter);

    /// <summary>The output column of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException">The model has no such output column.</exception>
    public int OutputOf(int id, string parameter) =>
        _outputs.TryGetValue(id, out int column) ? column : throw Unknown(id, OutputIds.Count, parameter);

    private ArgumentException Unknown(int id, int known, string parameter) =>
        new($"{ColumnEntity} {id} is not in the model (it knows {known} {ColumnEntity}s)", parameter);

    private static Dictionary<int, int> IndexOf(int[] ids)
    {
        var index = new Dictionary<int, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            index[ids[i]] = i;
        }

        return index;
    }
}
