using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace AutoRec.NativeTasks;

/// <summary>
/// Makes TorchSharp's <c>libLibTorchSharp.so</c> load on systems whose libstdc++ is older than the one it was
/// linked against (Debian 12 lacks GLIBCXX_3.4.32; the one symbol needing it is never called). When the system
/// library lacks <see cref="Version"/>, the requirement is marked weak in the copies in the build output; the
/// NuGet cache is never touched. Elsewhere the task does nothing.
/// </summary>
public sealed class WeakenGlibcxxRequirement : Task
{
    /// <summary>The copies of libLibTorchSharp.so in build output folders.</summary>
    [Required]
    public ITaskItem[] Libraries { get; set; } = [];

    /// <summary>The symbol version to weaken.</summary>
    public string Version { get; set; } = "GLIBCXX_3.4.32";

    /// <summary>Where to look for the system libstdc++, in order (the first that exists is the one used).</summary>
    public ITaskItem[] SystemLibraries { get; set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        string? system = SystemLibraries.Select(i => i.ItemSpec).FirstOrDefault(File.Exists);
        if (system is null)
        {
            Log.LogMessage(MessageImportance.Low, "AutoRec: no system libstdc++ found; leaving libLibTorchSharp.so as it is");
            return true;
        }

        if (ElfVersionNeeds.ContainsString(File.ReadAllBytes(system), Version))
        {
            Log.LogMessage(MessageImportance.Low, $"AutoRec: {system} provides {Version}; no patch needed");
            return true;
        }

        foreach (string library in Libraries.Select(i => i.ItemSpec).Where(File.Exists).Distinct())
        {
            byte[] bytes = File.ReadAllBytes(library);
            int changed;
            try
            {
                changed = ElfVersionNeeds.MarkWeak(bytes, Version);
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or OverflowException)
            {
                Log.LogError(
                    subcategory: null, errorCode: "AR1901", helpKeyword: null, file: library, lineNumber: 0, columnNumber: 0,
                    endLineNumber: 0, endColumnNumber: 0, message: $"cannot patch the version requirements: {e.Message}");
                return false;
            }

            if (changed > 0)
            {
                // Keep the copy's timestamp: the SDK's copy step then sees an unchanged file (same size and time)
                // and does not replace the patched library on the next build.
                DateTime written = File.GetLastWriteTimeUtc(library);
                // Staged and renamed over the copy, so a reader never sees a half-written library.
                string staged = $"{library}.{Guid.NewGuid():N}.tmp";
                File.WriteAllBytes(staged, bytes);
                File.Move(staged, library, overwrite: true);
                File.SetLastWriteTimeUtc(library, written);
                Log.LogMessage(MessageImportance.Normal, $"AutoRec: {system} lacks {Version}; marked it weak in {library}");
            }
        }

        return true;
    }
}
