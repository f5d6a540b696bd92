using System.ComponentModel.DataAnnotations;

namespace AutoRec.Serving.Configuration;

/// <summary>The <c>Experiments</c> section: where the experiment runner's committed results are, for <c>/v1/experiments</c>.</summary>
public sealed class ExperimentsOptions
{
    public const string Section = "Experiments";

    /// <summary>The suites' results files (<c>&lt;suite&gt;.json</c>, written by <c>autorec-train experiment</c>); relative to the current directory.</summary>
    [Required]
    public string ResultsDirectory { get; set; } = "docs/results";

    /// <summary>The suites' figures (<c>&lt;suite&gt;.png</c>); relative to the current directory.</summary>
    [Required]
    public string FiguresDirectory { get; set; } = "docs/experiments";
}
