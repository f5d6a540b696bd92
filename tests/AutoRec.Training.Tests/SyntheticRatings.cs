using AutoRec.Data;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;

namespace AutoRec.Training.Tests;

/// <summary>Small low-rank rating data for tests: users and movies with latent factors, about half observed.</summary>
internal static class SyntheticRatings
{
    public static Rating[] Generate(int users = 40, int movies = 30, int seed = 1, double density = 0.5)
    {
        var random = new Random(seed);
        double[][] u = Enumerable.Range(0, users).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        double[][] m = Enumerable.Range(0, movies).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var ratings = new List<Rating>();
        for (int i = 0; i < users; i++)
        {
            for (int j = 0; j < movies; j++)
            {
                if (random.NextDouble() < density || j == i % movies)
                {
                    double score = 1 + (4 * ((u[i][0] * m[j][0]) + (u[i][1] * m[j][1])) / 2);
                    ratings.Add(new Rating(i + 1, (j * 3) + 2, (float)Math.Clamp(Math.Round(score), 1, 5), 0));
                }
            }
        }

        // The rating scale is read off the data: make sure both ends occur.
        ratings[0] = ratings[0] with { Value = 5 };
        ratings[1] = ratings[1] with { Value = 1 };
        return ratings.ToArray();
    }

    /// <summary>A split of <see cref="Generate"/>'s ratings (seed 3) as the pipeline writes it: train, validation and test Parquet files in temp's "data" folder.</summary>
    public static string WriteSplit(TempDir temp, double validationFraction = 0.1)
    {
        RatingSplit split = RatingSplitter.Split(SyntheticRatings.Generate(), new SplitOptions(3, ValidationFraction: validationFraction));
        string dir = Path.Combine(temp.Root, "data");
        Directory.CreateDirectory(dir);
        ParquetTables.WriteRatings(Path.Combine(dir, "train.parquet"), split.Train);
        ParquetTables.WriteRatings(Path.Combine(dir, "validation.parquet"), split.Validation);
        ParquetTables.WriteRatings(Path.Combine(dir, "test.parquet"), split.Test);
        return dir;
    }

    public static TrainingData Data(ModelKind kind = ModelKind.UserBased, SideFeatures? side = null, int seed = 1)
    {
        RatingSplit split = RatingSplitter.Split(Generate(seed: seed), new SplitOptions(seed));
        return TrainingData.Create(kind, split.Train, split.Validation, split.Test, side);
    }

    public static ModelConfig Config(ModelKind kind = ModelKind.UserBased) => new()
    {
        Kind = kind,
        Layers = [8],
        HiddenActivation = Activation.Sigmoid,
        OutputActivation = Activation.Identity,
        LearningRate = 0.01,
        BatchSize = 8,
        Epochs = 5,
        Threads = 1,
        Seed = 7,
    };
}
