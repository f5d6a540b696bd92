using System.Buffers.Binary;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.NativeTasks.Tests;

/// <summary>Marking a symbol-version requirement weak in a synthetic ELF64 file.</summary>
public sealed class ElfVersionNeedsTests : IDisposable
{
    private const ushort Weak = 0x2;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// A minimal ELF64 little-endian file: header, .dynstr, .gnu.version_r with two Verneed entries
    /// (libc.so.6: GLIBC_2.2.5; libstdc++.so.6: GLIBCXX_3.4.30, GLIBCXX_3.4.32, CXXABI_1.3.13 already weak),
    /// then the section header table (null, .dynstr, .gnu.version_r).
    /// </summary>
    internal static (byte[] Elf, Dictionary<string, int> FlagOffsets) SyntheticElf()
    {
        string[] names = ["libc.so.6", "GLIBC_2.2.5", "libstdc++.so.6", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32", "CXXABI_1.3.13"];
        var strtab = new List<byte> { 0 };
        var nameOffset = new Dictionary<string, int>();
        foreach (string name in names)
        {
            nameOffset[name] = strtab.Count;
            strtab.AddRange(Encoding.ASCII.GetBytes(name));
            strtab.Add(0);
        }

        const int strtabOffset = 64;
        int verneedOffset = (strtabOffset + strtab.Count + 7) & ~7;
        // Two Verneed (16 bytes each) followed by their Vernaux (16 bytes each): 1 + 3 aux.
        int verneedSize = (2 * 16) + (4 * 16);
        int sectionTable = (verneedOffset + verneedSize + 7) & ~7;
        byte[] elf = new byte[sectionTable + (3 * 64)];
        Span<byte> e = elf;

        // ELF header.
        "\u007fELF"u8.CopyTo(e);
        e[4] = 2; // ELFCLASS64
        e[5] = 1; // ELFDATA2LSB
        e[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(e[0x10..], 3); // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(e[0x12..], 0x3E); // EM_X86_64
        BinaryPrimitives.WriteUInt32LittleEndian(e[0x14..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(e[0x28..], (ulong)sectionTable); // e_shoff
        BinaryPrimitives.WriteUInt16LittleEndian(e[0x34..], 64); // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(e[0x3A..], 64); // e_shentsize
        BinaryPrimitives.WriteUInt16LittleEndian(e[0x3C..], 3); // e_shnum
        BinaryPrimitives.WriteUInt16LittleEndian(e[0x3E..], 0); // e_shstrndx

        strtab.ToArray().CopyTo(e[strtabOffset..]);

        var flagOffsets = new Dictionary<string, int>();
        int need = verneedOffset;
        int aux = verneedOffset + 32;
        (string File, (string Version, ushort Flags)[] Aux)[] needs =
        [
            ("libc.so.6", [("GLIBC_2.2.5", 0)]),
            ("libstdc++.so.6", [("GLIBCXX_3.4.30", 0), ("GLIBCXX_3.4.32", 0), ("CXXABI_1.3.13", Weak)]),
        ];
        for (int n = 0; n < needs.Length; n++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(e[need..], 1); // vn_version
            BinaryPrimitives.WriteUInt16LittleEndian(e[(need + 2)..], (ushort)needs[n].Aux.Length); // vn_cnt
            BinaryPrimitives.WriteUInt32LittleEndian(e[(need + 4)..], (uint)nameOffset[needs[n].File]); // vn_file
            BinaryPrimitives.WriteUInt32LittleEndian(e[(need + 8)..], (uint)(aux - need)); // vn_aux
            BinaryPrimitives.WriteUInt32LittleEndian(e[(need + 12)..], n + 1 < needs.Length ? 16u : 0u); // vn_next
            for (int a = 0; a < needs[n].Aux.Length; a++)
            {
                (string version, ushort flags) = needs[n].Aux[a];
                BinaryPrimitives.WriteUInt32LittleEndian(e[aux..], (uint)version.GetHashCode(StringComparison.Ordinal)); // vna_hash (not checked)
                BinaryPrimitives.WriteUInt16LittleEndian(e[(aux + 4)..], flags); // vna_flags
                BinaryPrimitives.WriteUInt16LittleEndian(e[(aux + 6)..], (ushort)(2 + flagOffsets.Count)); // vna_other
                BinaryPrimitives.WriteUInt32LittleEndian(e[(aux + 8)..], (uint)nameOffset[version]); // vna_name
                BinaryPrimitives.WriteUInt32LittleEndian(e[(aux + 12)..], a + 1 < needs[n].Aux.Length ? 16u : 0u); // vna_next
                flagOffsets[version] = aux + 4;
                aux += 16;
            }

            need += 16;
        }

        // Section headers: [0] null, [1] .dynstr, [2] .gnu.version_r linked to [1].
        Span<byte> dynstr = e.Slice(sectionTable + 64, 64);
        BinaryPrimitives.WriteUInt32LittleEndian(dynstr[4..], 3); // SHT_STRTAB
        BinaryPrimitives.WriteUInt64LittleEndian(dynstr[0x18..], strtabOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(dynstr[0x20..], (ulong)strtab.Count);
        Span<byte> verneed = e.Slice(sectionTable + 128, 64);
        BinaryPrimitives.WriteUInt32LittleEndian(verneed[4..], 0x6ffffffe); // SHT_GNU_verneed
        BinaryPrimitives.WriteUInt64LittleEndian(verneed[0x18..], (ulong)verneedOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(verneed[0x20..], (ulong)verneedSize);
        BinaryPrimitives.WriteUInt32LittleEndian(verneed[0x28..], 1); // sh_link: .dynstr
        BinaryPrimitives.WriteUInt32LittleEndian(verneed[0x2C..], (uint)needs.Length); // sh_info: Verneed count
        return (elf, flagOffsets);
    }

    private static ushort FlagsAt(byte[] elf, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(offset));

    [Fact]
    public void MarksOnlyTheNamedRequirementWeak()
    {
        (byte[] elf, Dictionary<string, int> flags) = SyntheticElf();
        byte[] before = elf.ToArray();

        Assert.Equal(1, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));

        Assert.Equal(Weak, FlagsAt(elf, flags["GLIBCXX_3.4.32"]));
        Assert.Equal(0, FlagsAt(elf, flags["GLIBCXX_3.4.30"]));
        Assert.Equal(0, FlagsAt(elf, flags["GLIBC_2.2.5"]));
        Assert.Equal(Weak, FlagsAt(elf, flags["CXXABI_1.3.13"]));
        int[] changed = Enumerable.Range(0, elf.Length).Where(i => elf[i] != before[i]).ToArray();
        Assert.Equal([flags["GLIBCXX_3.4.32"]], changed); // one byte: the low byte of vna_flags
    }

    [Fact]
    public void ASecondCallChangesNothing()
    {
        (byte[] elf, _) = SyntheticElf();
        Assert.Equal(1, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));
        byte[] once = elf.ToArray();
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(once, elf);
    }

    [Theory]
    [InlineData("GLIBCXX_3.4.3")] // a prefix of a present version
    [InlineData("GLIBCXX_3.4.321")]
    [InlineData("libstdc++.so.6")] // a file name, not a version
    [InlineData("CXXABI_1.3.13")] // already weak
    public void OtherNamesChangeNothing(string version)
    {
        (byte[] elf, _) = SyntheticElf();
        byte[] before = elf.ToArray();
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(elf, version));
        Assert.Equal(before, elf);
    }

    [Fact]
    public void TheFirstRequirementOfTheFirstEntryCanBeMarked()
    {
        (byte[] elf, Dictionary<string, int> flags) = SyntheticElf();
        Assert.Equal(1, ElfVersionNeeds.MarkWeak(elf, "GLIBC_2.2.5"));
        Assert.Equal(Weak, FlagsAt(elf, flags["GLIBC_2.2.5"]));
        Assert.Equal(0, FlagsAt(elf, flags["GLIBCXX_3.4.32"]));
    }

    [Fact]
    public void NonElfInputThrows()
    {
        byte[] text = Encoding.ASCII.GetBytes(new string('x', 200));
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(text, "GLIBCXX_3.4.32"));
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(new byte[10], "GLIBCXX_3.4.32"));
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak([], "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void Elf32AndBigEndianInputThrow()
    {
        (byte[] elf32, _) = SyntheticElf();
        elf32[4] = 1; // ELFCLASS32
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(elf32, "GLIBCXX_3.4.32"));
        (byte[] bigEndian, _) = SyntheticElf();
        bigEndian[5] = 2; // ELFDATA2MSB
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(bigEndian, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void ContainsStringNeedsTheWholeNullTerminatedString()
    {
        (byte[] elf, _) = SyntheticElf();
        Assert.True(ElfVersionNeeds.ContainsString(elf, "GLIBCXX_3.4.32"));
        Assert.False(ElfVersionNeeds.ContainsString(elf, "GLIBCXX_3.4.3"));
        Assert.False(ElfVersionNeeds.ContainsString(elf, "GLIBCXX_3.4.33"));
    }

    [Fact]
    public void ContainsStringFindsAVersionInTheSystemLibStdCxx()
    {
        const string system = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        if (!File.Exists(system))
        {
            return; // not a Debian-style x86-64 Linux: nothing to check
        }

        byte[] bytes = File.ReadAllBytes(system);
        Assert.True(ElfVersionNeeds.ContainsString(bytes, "GLIBCXX_3.4.30"));
        Assert.False(ElfVersionNeeds.ContainsString(bytes, "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void WeakenTaskPatchesWhenTheSystemLacksTheVersion()
    {
        (byte[] elf, Dictionary<string, int> flags) = SyntheticElf();
        string library = _dir.WriteBytes("out/libLibTorchSharp.so", elf);
        string system = _dir.WriteBytes("sys/libstdc++.so.6", Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.30\0GLIBCXX_3.4.31\0"));
        var engine = new FakeBuildEngine();
        var task = new WeakenGlibcxxRequirement
        {
            BuildEngine = engine,
            Libraries = [new TaskItem(library), new TaskItem(_dir.PathOf("absent/libLibTorchSharp.so"))],
            SystemLibraries = [new TaskItem(_dir.PathOf("nope/libstdc++.so.6")), new TaskItem(system)],
        };

        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        byte[] patched = File.ReadAllBytes(library);
        Assert.Equal(Weak, FlagsAt(patched, flags["GLIBCXX_3.4.32"]));
        Assert.Equal(0, FlagsAt(patched, flags["GLIBCXX_3.4.30"]));
        Assert.Empty(Directory.GetFiles(_dir.Root, "*.tmp", SearchOption.AllDirectories));

        // Running again leaves the file alone (no rewrite, same timestamp).
        var longAgo = new DateTime(2021, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(library, longAgo);
        Assert.True(new WeakenGlibcxxRequirement { BuildEngine = engine, Libraries = task.Libraries, SystemLibraries = task.SystemLibraries }.Execute());
        Assert.Equal(patched, File.ReadAllBytes(library));
        Assert.Equal(longAgo, File.GetLastWriteTimeUtc(library));
    }

    [Fact]
    public void WeakenTaskLeavesTheLibraryAloneWhenTheSystemHasTheVersion()
    {
        (byte[] elf, _) = SyntheticElf();
        string library = _dir.WriteBytes("out/libLibTorchSharp.so", elf);
        string system = _dir.WriteBytes("sys/libstdc++.so.6", Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.32\0GLIBCXX_3.4.33\0"));
        var engine = new FakeBuildEngine();
        var task = new WeakenGlibcxxRequirement { BuildEngine = engine, Libraries = [new TaskItem(library)], SystemLibraries = [new TaskItem(system)] };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.Equal(elf, File.ReadAllBytes(library));
    }

    [Fact]
    public void WeakenTaskReportsAR1901ForALibraryThatIsNotElf()
    {
        string library = _dir.Write("out/libLibTorchSharp.so", "not an ELF file at all, just some text that is long enough to pass the size check");
        string system = _dir.WriteBytes("sys/libstdc++.so.6", Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.30\0"));
        var engine = new FakeBuildEngine();
        var task = new WeakenGlibcxxRequirement { BuildEngine = engine, Libraries = [new TaskItem(library)], SystemLibraries = [new TaskItem(system)] };
        Assert.False(task.Execute());
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR1901", error.Code);
        Assert.Equal(library, error.File);
    }
}
