using System.Text;

namespace AutoRec.Benchmarks.Synthetic;

/// <summary>
/// Writes <c>movies.csv</c> as ml-20m has it: <c>movieId,title,genres</c>, titles quoted where they hold a comma or
/// a quote (quotes doubled), UTF-8 with some non-ASCII titles, genres as an <c>A|B</c> list or <c>(no genres listed)</c>.
/// </summary>
internal static class MoviesCsv
{
    private static readonly string[] Genres =
    [
        "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    private static readonly string[] Adjectives =
    [
        "Silent", "Last", "Broken", "Golden", "Dark", "Lost", "Secret", "Little", "Wild", "Hidden", "Red", "Long",
        "Strange", "Cold", "Bright", "Final", "Lonely", "Crimson", "Endless", "Sweet",
    ];

    private static readonly string[] Nouns =
    [
        "River", "Night", "City", "Garden", "Road", "Heart", "Summer", "Kingdom", "Stranger", "Island", "Letter",
        "Mirror", "Storm", "Dream", "Train", "House", "Season", "Shadow", "Promise", "Voyage",
    ];

    private static readonly string[] Foreign = ["Amélie", "Été", "Mädchen", "Niño", "Crème", "Señor", "Björk", "Café"];

    public static void Write(string path, SynthMovies movies, ulong seed)
    {
        var random = SynthRandom.For(seed, SynthStreams.Titles);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        writer.NewLine = "\n";
        writer.WriteLine("movieId,title,genres");
        var line = new StringBuilder();
        for (int i = 0; i < movies.Count; i++)
        {
            string title = Title(ref random);
            line.Clear();
            line.Append(movies.Ids[i]).Append(',');
            if (title.Contains(',', StringComparison.Ordinal) || title.Contains('"', StringComparison.Ordinal))
            {
                line.Append('"').Append(title.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                line.Append(title);
            }

            writer.WriteLine(line.Append(',').Append(GenreList(ref random)));
        }
    }

    private static string Title(ref SynthRandom random)
    {
        string adjective = Adjectives[random.NextInt(Adjectives.Length)];
        string noun = Nouns[random.NextInt(Nouns.Length)];
        string other = Nouns[random.NextInt(Nouns.Length)];
        int year = 1915 + random.NextInt(100);
        return random.NextInt(100) switch
        {
            < 12 => $"{noun}, The ({year})",
            < 16 => $"{adjective} {noun}: \"{other}\" ({year})",
            < 20 => $"{Foreign[random.NextInt(Foreign.Length)]} et le {noun} ({year})",
            < 22 => $"\"{adjective} {noun}\", Part {1 + random.NextInt(3)} ({year})",
            _ => $"{adjective} {noun} ({year})",
        };
    }

    private static string GenreList(ref SynthRandom random)
    {
        if (random.NextInt(100) == 0)
        {
            return "(no genres listed)";
        }

        // Up to three distinct genres in the list's order, as MovieLens writes them.
        int first = random.NextInt(Genres.Length);
        int second = random.NextInt(Genres.Length);
        int third = random.NextInt(Genres.Length);
        int count = 1 + random.NextInt(3);
        var chosen = new SortedSet<int> { first };
        if (count > 1)
        {
            chosen.Add(second);
        }

        if (count > 2)
        {
            chosen.Add(third);
        }

        return string.Join('|', chosen.Select(g => Genres[g]));
    }
}
