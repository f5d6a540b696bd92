using System.Globalization;
using System.Text;
using AutoRec.Data;

namespace AutoRec.Serving.Tests;

/// <summary>
/// What the web app's browser tests serve: a pipeline folder with a small user-based model over 40 titled movies
/// (a real ONNX file from the exporter, with seeded weights), its training ratings, metrics.json, history.csv,
/// split.json and validation.json as the pipeline writes them, and an experiments folder with one suite's results
/// and figure.
/// </summary>
internal sealed class WebAppFolder : IDisposable
{
    public static readonly Movie[] Movies =
    [
        .. new[]
        {
            ("Toy Story (1995)", "Animation|Children's|Comedy"), ("Jumanji (1995)", "Adventure|Children's|Fantasy"),
            ("Heat (1995)", "Action|Crime|Thriller"), ("Sabrina (1995)", "Comedy|Romance"), ("GoldenEye (1995)", "Action|Adventure|Thriller"),
            ("Casino (1995)", "Drama|Thriller"), ("Sense and Sensibility (1995)", "Drama|Romance"), ("Babe (1995)", "Children's|Comedy|Drama"),
            ("Braveheart (1995)", "Action|Drama|War"), ("Apollo 13 (1995)", "Drama"), ("Star Wars: Episode IV - A New Hope (1977)", "Action|Adventure|Sci-Fi"),
            ("Pulp Fiction (1994)", "Crime|Drama"), ("Forrest Gump (1994)", "Comedy|Romance|War"), ("Lion King, The (1994)", "Animation|Children's|Musical"),
            ("Matrix, The (1999)", "Action|Sci-Fi|Thriller"), ("Fargo (1996)", "Crime|Drama|Thriller"), ("Alien (1979)", "Action|Horror|Sci-Fi"),
            ("Godfather, The (1972)", "Action|Crime|Drama"), ("Casablanca (1942)", "Drama|Romance|War"), ("Amélie (2001)", "Comedy|Romance"),
            ("Toy Story 2 (1999)", "Animation|Children's|Comedy"), ("Groundhog Day (1993)", "Comedy|Romance"), ("Shawshank Redemption, The (1994)", "Drama"),
            ("Schindler's List (1993)", "Drama|War"), ("Jurassic Park (1993)", "Action|Adventure|Sci-Fi"), ("Terminator 2: Judgment Day (1991)", "Action|Sci-Fi|Thriller"),
            ("Silence of the Lambs, The (1991)", "Drama|Thriller"), ("Back to the Future (1985)", "Comedy|Sci-Fi"), ("Princess Bride, The (1987)", "Action|Adventure|Comedy|Romance"),
            ("Raiders of the Lost Ark (1981)", "Action|Adventure"), ("Aliens (1986)", "Action|Sci-Fi|Thriller|War"), ("Die Hard (1988)", "Action|Thriller"),
            ("Beauty and the Beast (1991)", "Animation|Children's|Musical"), ("Usual Suspects, The (1995)", "Crime|Thriller"), ("Twelve Monkeys (1995)", "Drama|Sci-Fi"),
            ("Clueless (1995)", "Comedy|Romance"), ("Seven (Se7en) (1995)", "Crime|Thriller"), ("Mrs. Doubtfire (1993)", "Comedy"),
            ("Aladdin (1992)", "Animation|Children's|Comedy|Musical"), ("When Harry Met Sally... (1989)", "Comedy|Romance"),
        }.Select((movie, i) => new Movie(i + 1, movie.Item1, movie.Item2)),
    ];

    public const int Users = 30;

    private readonly TempDir _dir = new();

    public WebAppFolder()
    {
        Directory.CreateDirectory(_dir.PathOf("model/model"));
        Directory.CreateDirectory(_dir.PathOf("model/data"));
        Directory.CreateDirectory(_dir.PathOf("results"));
        Directory.CreateDirectory(_dir.PathOf("figures"));
        int[] movieIds = [.. Movies.Select(m => m.MovieId)];
        var random = new Random(5);
        Train = [.. Enumerable.Range(1, Users).SelectMany(user => movieIds.Where(_ => random.Next(3) == 0).Select(movie => new Rating(user, movie, random.Next(1, 6), 0)))];
        ParquetTables.WriteRatings(_dir.PathOf("model/data/train.parquet"), Train, RatingScale.WholeStars);
        ParquetTables.WriteMovies(_dir.PathOf("model/data/movies.parquet"), Movies);
        TestModels.Write(_dir.PathOf("model/model"), new ModelSpec { Ids = movieIds, Hidden = [8], Seed = 21, Dataset = "tiny-web" });
        _dir.Write("model/model/validation.json", (new ValidationReport(ModelPath, ModelKind.UserBased, "tiny-web", TestRmse, 0.9876, 120, 0, 0.01) with
        {
            Protocol = RunMetrics.ProtocolA, MaxTestRmse = 2, Passed = true,
        }).ToJson());
        _dir.Write("model/model/metrics.json", new RunMetrics(TestRmse, 0.9876, 1.01, 0.99, 0.8, 4, 6, false, 1.5, 0.25, 300, 120, 1234).ToJson());
        _dir.Write("model/model/history.csv", "epoch,train_loss,train_rmse,validation_rmse,validation_rmse_user_mean,seconds\n" + string.Concat(
            Enumerable.Range(1, 6).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e},{10.0 / e},{1.4 - (0.08 * e)},{1.3 - (0.05 * e)},{1.25 - (0.04 * e)},0.2\n"))));
        _dir.Write("model/data/split.json", """
            { "seed": 7, "test_fraction": 0.1, "validation_fraction": 0.1, "method": "per-user stratified",
              "counts": { "train": 400, "validation": 50, "test": 120, "users": 30, "movies": 40 } }
            """);
        _dir.Write("results/tiny-suite.json", SuiteResults());
        _dir.WriteBytes("figures/tiny-suite.png", Convert.FromBase64String(OnePixelPng));
    }

    /// <summary>The global test RMSE the folder's validation.json reports.</summary>
    public const double TestRmse = 1.0123;

    /// <summary>The suite's title, and the labels of its runs.</summary>
    public const string SuiteTitle = "Tiny suite for the browser tests";

    public static readonly string[] RunLabels = ["Sigmoid + Linear", "ELU + ELU", "Diverged run"];

    public Rating[] Train { get; }

    public string ModelDirectory => _dir.PathOf("model");

    public string ModelPath => _dir.PathOf("model/model/model.onnx");

    public string ResultsDirectory => _dir.PathOf("results");

    public string FiguresDirectory => _dir.PathOf("figures");

    public void Dispose() => _dir.Dispose();

    private static string SuiteResults()
    {
        var runs = new StringBuilder();
        for (int i = 0; i < RunLabels.Length; i++)
        {
            string history = i == 2 ? "null" : $$"""{ "train": [{{Curve(1.3, i)}}], "validation": [{{Curve(1.35, i)}}], "validation_user_mean": [{{Curve(1.3, i)}}] }""";
            runs.Append(CultureInfo.InvariantCulture, $$"""
                {{(i == 0 ? "" : ",")}}{ "name": "run-{{i}}", "label": "{{RunLabels[i]}}", "config": { "name": "tiny/run-{{i}}", "layers": [8] },
                  "seed": { "test": {{0.9 + (0.01 * i)}}, "train": 0.8 }, "path": "sparse",
                  "test_rmse": {{(i == 2 ? "0" : (0.95 + (0.01 * i)).ToString(CultureInfo.InvariantCulture))}}, "test_rmse_user_mean": {{0.93 + (0.01 * i)}},
                  "last_epoch_test_rmse": 0.96, "last_epoch_test_rmse_user_mean": 0.94, "validation_rmse": 0.97, "train_rmse": 0.8,
                  "best_epoch": 5, "epochs": 6, "seconds": 3.5, "history": {{history}}{{(i == 2 ? ", \"note\": \"diverged at epoch 3\"" : "")}} }
                """);
        }

        return $$"""
            { "suite": "tiny-suite", "title": "{{SuiteTitle}}", "seed_section": "Table 2", "machine": "test machine", "finished": "2026-12-06 12:00 UTC",
              "split": "tiny split", "seconds": 10.5, "runs": [{{runs}}] }
            """;
    }

    private static string Curve(double start, int run) =>
        string.Join(", ", Enumerable.Range(1, 6).Select(e => (start - (0.05 * e) - (0.01 * run)).ToString("0.####", CultureInfo.InvariantCulture)));

    // A 1x1 PNG, to stand for a suite's figure.
    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
}
