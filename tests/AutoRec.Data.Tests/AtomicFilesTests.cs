namespace AutoRec.Data.Tests;

/// <summary>Staged files replace the old ones on commit, and leave them alone otherwise.</summary>
public sealed class AtomicFilesTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Temporaries() => Directory.GetFiles(_dir.Root, "*.tmp", SearchOption.AllDirectories);

    [Fact]
    public void CommitReplacesEveryFile()
    {
        string a = _dir.Write("a.bin", "old a");
        string b = _dir.Write("b.bin", "old b");
        string c = _dir.PathOf("sub/c.bin"); // new, in a folder that does not exist yet
        using (var files = new AtomicFiles())
        {
            string ta = files.Stage(a);
            string tb = files.Stage(b);
            string tc = files.Stage(c);
            Assert.NotEqual(a, ta);
            Assert.EndsWith(".tmp", ta, StringComparison.Ordinal);
            Assert.Equal(Path.GetDirectoryName(a), Path.GetDirectoryName(ta));
            File.WriteAllText(ta, "new a");
            File.WriteAllText(tb, "new b");
            File.WriteAllText(tc, "new c");
            Assert.Equal("old a", File.ReadAllText(a)); // nothing moves before Commit
            files.Commit();
        }

        Assert.Equal("new a", File.ReadAllText(a));
        Assert.Equal("new b", File.ReadAllText(b));
        Assert.Equal("new c", File.ReadAllText(c));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void DisposeWithoutCommitKeepsTheOldFilesAndDeletesTheTemporaries()
    {
        byte[] old = [0x50, 0x41, 0x52, 0x31, 0, 1, 2, 3, 255];
        string a = _dir.WriteBytes("a.parquet", old);
        File.SetLastWriteTimeUtc(a, LongAgo);
        string staged;
        using (var files = new AtomicFiles())
        {
            staged = files.Stage(a);
            File.WriteAllText(staged, "half-written");
            string second = files.Stage(_dir.PathOf("b.parquet"));
            File.WriteAllText(second, "never committed");
        }

        Assert.Equal(old, File.ReadAllBytes(a));
        Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(a));
        Assert.False(File.Exists(staged));
        Assert.False(File.Exists(_dir.PathOf("b.parquet")));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void AStagedFileNeverWrittenIsFine()
    {
        string a = _dir.Write("a.txt", "old");
        using (var files = new AtomicFiles())
        {
            files.Stage(a);
        }

        Assert.Equal("old", File.ReadAllText(a));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void IdenticalContentKeepsTheOldTimestamp()
    {
        string same = _dir.Write("same.txt", "unchanged");
        string other = _dir.Write("other.txt", "before");
        File.SetLastWriteTimeUtc(same, LongAgo);
        File.SetLastWriteTimeUtc(other, LongAgo);
        using (var files = new AtomicFiles())
        {
            File.WriteAllText(files.Stage(same), "unchanged");
            File.WriteAllText(files.Stage(other), "after!"); // same length, different bytes
            files.Commit();
        }

        Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(same));
        Assert.Equal("unchanged", File.ReadAllText(same));
        Assert.NotEqual(LongAgo, File.GetLastWriteTimeUtc(other));
        Assert.Equal("after!", File.ReadAllText(other));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void WriteReplacesOneFile()
    {
        string a = _dir.Write("a.txt", "old");
        AtomicFiles.Write(a, temporary => File.WriteAllText(temporary, "new"));
        Assert.Equal("new", File.ReadAllText(a));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void WriteThatThrowsKeepsTheOldFile()
    {
        string a = _dir.Write("a.txt", "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFiles.Write(a, temporary =>
        {
            File.WriteAllText(temporary, "partial");
            throw new InvalidOperationException("writer failed");
        }));
        Assert.Equal("old", File.ReadAllText(a));
        Assert.Empty(Temporaries());
    }
}
