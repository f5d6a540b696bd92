using AutoRec.Onnx;

namespace AutoRec.Tests.Shared;

/// <summary>What a small random model built for a test looks like.</summary>
internal sealed record ModelSpec
{
    public ModelKind Kind { get; init; } = ModelKind.UserBased;

    /// <summary>Column ids, deliberately unsorted so that tests catch index/id mix-ups.</summary>
    public int[] Ids { get; init; } = [101, 7, 55, 3, 250, 18, 9];

    public int[] Hidden { get; init; } = [5];

    public Activation HiddenActivation { get; init; } = Activation.Sigmoid;

    public Activation OutputActivation { get; init; } = Activation.Identity;

    public DefaultFill Fill { get; init; } = DefaultFill.Zero;

    public float FillConstant { get; init; } = 3f;

    public int SideWidth { get; init; }

    /// <summary>Side-feature names (default <c>feature=i</c>); must have <see cref="SideWidth"/> entries when given.</summary>
    public string[]? SideNames { get; init; }

    public bool Tied { get; init; }

    /// <summary>A blend of towers: each entry one tower's hidden sizes (instead of <see cref="Hidden"/>); not tied.</summary>
    public int[][]? Towers { get; init; }

    public int Seed { get; init; } = 1;

    public float RatingMin { get; init; } = 1f;

    public float RatingMax { get; init; } = 5f;

    public string Dataset { get; init; } = "tiny";

    /// <summary>The training config's <c>l2_decoder</c>, <c>loss</c> and <c>batch_size</c>; left out of the config JSON when null.</summary>
    public double? L2Decoder { get; init; }

    public string? Loss { get; init; }

    public int? BatchSize { get; init; }
}
