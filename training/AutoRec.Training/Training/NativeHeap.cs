using System.Runtime.InteropServices;

namespace AutoRec.Training.Training;

/// <summary>
/// Returns freed native memory to the operating system. libtorch's many multi-megabyte temporaries raise glibc's
/// dynamic mmap threshold, after which freed blocks stay in the heap and resident memory climbs by hundreds of
/// megabytes per epoch although nothing leaks (measured with <c>autorec-train bench</c>; see docs/benchmarks.md).
/// Trimming once per epoch keeps resident memory flat at no measurable cost. Setting AUTOREC_MALLOC_TRIM=0
/// turns it off, to reproduce the growth (docs/benchmarks.md).
/// </summary>
internal static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("AUTOREC_MALLOC_TRIM") == "0";

    /// <summary>Calls glibc's <c>malloc_trim(0)</c> where it exists; elsewhere does nothing.</summary>
    public static void Trim()
    {
        if (_unavailable)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // musl and other C libraries have no malloc_trim
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
