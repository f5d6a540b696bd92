using System.Buffers.Binary;
using System.Text;

namespace AutoRec.NativeTasks;

/// <summary>
/// Reads and edits the symbol-version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF file.
/// Marking a requirement weak (<c>VER_FLG_WEAK</c>) tells the dynamic loader not to refuse the library when the
/// system lacks that version; symbols bound to it then resolve only if present.
/// </summary>
internal static class ElfVersionNeeds
{
    private const uint SectionTypeVersionNeed = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort VersionFlagWeak = 0x2;              // VER_FLG_WEAK

    /// <summary>Whether <paramref name="bytes"/> contains the null-terminated string <paramref name="text"/>.</summary>
    public static bool ContainsString(ReadOnlySpan<byte> bytes, string text) =>
        bytes.IndexOf(Encoding.ASCII.GetBytes(text + "\0")) >= 0;

    /// <summary>
    /// Marks every requirement named <paramref name="version"/> weak, in place. Returns how many were changed
    /// (0 when already weak or absent).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file.</exception>
    public static int MarkWeak(Span<byte> elf, string version)
    {
        if (elf.Length < 64 || !elf[..4].SequenceEqual("\u007fELF"u8) || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        int changed = 0;
        for (int s = 0; s < sectionCount; s++)
        {
            Span<byte> header = elf.Slice(checked((int)(sectionTable + (s * sectionSize))), sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != SectionTypeVersionNeed)
            {
                continue;
            }

            int offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            int entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]); // sh_info: number of Verneed
            Span<byte> strings = StringTable(elf, sectionTable, sectionSize, link);
            int need = offset;
            for (int n = 0; n < entries; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    int name = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]);
                    ReadOnlySpan<byte> nameBytes = strings[name..];
                    nameBytes = nameBytes[..nameBytes.IndexOf((byte)0)];
                    Span<byte> flags = elf.Slice(aux + 4, 2);
                    ushort value = BinaryPrimitives.ReadUInt16LittleEndian(flags);
                    if (Encoding.ASCII.GetString(nameBytes) == version && (value & VersionFlagWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(value | VersionFlagWeak));
                        changed++;
                    }

                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                }

                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            }
        }

        return changed;
    }

    private static Span<byte> StringTable(Span<byte> elf, long sectionTable, int sectionSize, int index)
    {
        Span<byte> header = elf.Slice(checked((int)(sectionTable + (index * sectionSize))), sectionSize);
        int offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
        int size = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]));
        return elf.Slice(offset, size);
    }
}
