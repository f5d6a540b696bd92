using System.Globalization;
using AutoRec.BuildTasks.Blends;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.BuildTasks;

/// <summary>
/// Says whether the pipeline's <c>ModelConfig</c> is a blend (<see cref="BlendConfig"/>) and, when it is, lists its
/// members for the blend stage: each trains, exports and validates as a pipeline of its own.
/// </summary>
public sealed class ReadBlendConfig : Task
{
    /// <summary>The resolved model config.</summary>
    [Required]
    public string ConfigFile { get; set; } = "";

    /// <summary>The pipeline's <c>MaxTestRmse</c>: the gate of a member whose entry sets none, and what a <c>max_test_rmse_margin</c> adds to.</summary>
    public string DefaultMaxTestRmse { get; set; } = "";

    /// <summary>Whether it is a blend.</summary>
    [Output]
    public bool IsBlend { get; private set; }

    /// <summary>The blend's name.</summary>
    [Output]
    public string BlendName { get; private set; } = "";

    /// <summary>The blend config's <c>support_powers</c> (0: a plain blend).</summary>
    [Output]
    public int SupportPowers { get; private set; }

    /// <summary>The members in order: the item is the name; metadata <c>MemberName</c> (the same), <c>Config</c> (full path) and <c>MaxTestRmse</c> (the member's gate).</summary>
    [Output]
    public ITaskItem[] Members { get; private set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        try
        {
            BlendConfig? blend = File.Exists(ConfigFile) ? BlendConfig.Read(ConfigFile) : null;
            if (blend is null)
            {
                return true;
            }

            IsBlend = true;
            BlendName = blend.Name;
            SupportPowers = blend.SupportPowers;
            Members = [.. blend.Members.Select(m =>
            {
                var item = new TaskItem(m.Name);
                item.SetMetadata("MemberName", m.Name);
                item.SetMetadata("Config", m.Config);
                item.SetMetadata("MaxTestRmse", GateOf(m));
                return (ITaskItem)item;
            })];
            return true;
        }
        catch (BlendConfigException e)
        {
            Log.LogError(null, BlendConfigException.Code, null, e.File, e.Line, 0, 0, 0, e.Reason);
            return false;
        }
        catch (Exception e) when (TaskLogging.IsFileSystemError(e))
        {
            Log.LogFileSystemError(ConfigFile, e);
            return false;
        }
    }

    private string GateOf(BlendConfigMember member) => member switch
    {
        { MaxTestRmse: double max } => Format(max),
        // Rounded so that 0.826 + 0.07 reads 0.896 in validation.json, not 0.8959999999999999.
        { MaxTestRmseMargin: double margin } => double.TryParse(DefaultMaxTestRmse, NumberStyles.Float, CultureInfo.InvariantCulture, out double gate)
            ? Format(Math.Round(gate + margin, 6))
            : throw new BlendConfigException(ConfigFile, 0, $"blend member '{member.Name}': max_test_rmse_margin needs the pipeline's MaxTestRmse, not '{DefaultMaxTestRmse}'"),
        _ => DefaultMaxTestRmse,
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
