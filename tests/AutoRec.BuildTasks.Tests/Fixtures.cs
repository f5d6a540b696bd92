using System.Globalization;
using System.Text;

namespace AutoRec.BuildTasks.Tests;

/// <summary>A tiny dataset in the ml-1m layout: 20 users with 10 ratings each, 30 movies.</summary>
internal static class TinyDataset
{
    public const int Users = 20;
    public const int RatingsPerUser = 10;
    public const int Movies = 30;

    /// <summary>The lines of ratings.dat, in file order (line i + 1 is element i).</summary>
    public static List<string> RatingLines()
    {
        var lines = new List<string>();
        for (int user = 1; user <= Users; user++)
        {
            for (int k = 0; k < RatingsPerUser; k++)
            {
                int movie = 1 + (((user * 7) + (k * 3)) % Movies);
                int rating = 1 + ((user + k) % 5);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{user}::{movie}::{rating}::{978300000 + (user * 100) + k}"));
            }
        }

        return lines;
    }

    /// <summary>Writes ratings.dat, users.dat and movies.dat into <paramref name="dir"/>.</summary>
    public static void Write(string dir, IEnumerable<string>? ratingLines = null)
    {
        Directory.CreateDirectory(dir);
        var utf8 = new UTF8Encoding(false);
        File.WriteAllText(Path.Combine(dir, "ratings.dat"), string.Join("\n", ratingLines ?? RatingLines()) + "\n", utf8);
        File.WriteAllText(
            Path.Combine(dir, "users.dat"),
            string.Concat(Enumerable.Range(1, Users).Select(u => string.Create(CultureInfo.InvariantCulture, $"{u}::{(u % 2 == 0 ? "M" : "F")}::{(u % 2 == 0 ? 25 : 35)}::{u % 21}::{10000 + u}\n"))),
            utf8);
        var movies = new List<byte>();
        for (int m = 1; m <= Movies; m++)
        {
            movies.AddRange(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{m}::Movie {m} (199{m % 10})::Drama|Comedy\n")));
        }

        // One latin-1 title, as in the real ml-1m movies.dat.
        movies.AddRange(Encoding.ASCII.GetBytes("31::Mis"));
        movies.Add(0xE9);
        movies.AddRange(Encoding.ASCII.GetBytes("rables, Les (1995)::Drama|War\n"));
        File.WriteAllBytes(Path.Combine(dir, "movies.dat"), movies.ToArray());
    }

    /// <summary>The rating lines with line <paramref name="duplicateLine"/> (1-based) repeating line <paramref name="ofLine"/>'s pair.</summary>
    public static List<string> WithDuplicate(int duplicateLine, int ofLine)
    {
        List<string> lines = RatingLines();
        string[] original = lines[ofLine - 1].Split("::");
        lines[duplicateLine - 1] = $"{original[0]}::{original[1]}::3::978399999";
        return lines;
    }
}

/// <summary>A blend config of two tiny members (item- and user-based), each held to a generous gate of its own.</summary>
internal static class TinyBlend
{
    /// <summary>Writes item.json, user.json and blend.json into <paramref name="dir"/>; returns blend.json's path.</summary>
    public static string Write(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "user.json"), """
            { "name": "tiny-user", "kind": "user-based", "layers": [6], "learning_rate": 0.01, "batch_size": 8, "epochs": 4, "threads": 1, "seed": 3 }
            """);
        File.WriteAllText(Path.Combine(dir, "item.json"), """
            { "name": "tiny-item", "kind": "item-based", "layers": [6], "learning_rate": 0.01, "batch_size": 8, "epochs": 4, "threads": 1, "seed": 4 }
            """);
        string config = Path.Combine(dir, "blend.json");
        File.WriteAllText(config, """
            { // members keep their own generous gate; the blend is held to MaxTestRmse
              "name": "tiny-blend",
              "blend": [ { "name": "item", "config": "item.json", "max_test_rmse": 4 }, { "name": "user", "config": "user.json", "max_test_rmse": 4 } ] }
            """);
        return config;
    }
}
