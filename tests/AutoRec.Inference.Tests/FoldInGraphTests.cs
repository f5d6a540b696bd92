using AutoRec.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoRec.Inference.Tests;

/// <summary>
/// foldin.onnx (<see cref="FoldInGraphBuilder"/>) run by ONNX Runtime gives the library's own fold-in of a new user:
/// every movie's prediction, for profiles short and long, weighted (masked-mse) and not.
/// </summary>
public sealed class FoldInGraphTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("masked-sse", 1)]
    [InlineData("masked-sse", 7)]
    [InlineData("masked-mse", 30)] // every movie rated: more ratings than the code width
    [InlineData("masked-mse", 12)]
    public void TheGraphPredictsWhatTheLibraryFoldsIn(string loss, int rated)
    {
        (IRecommender recommender, RecommenderModel model) = ItemBased(loss);
        using (model)
        {
            FoldInProblem problem = FoldInProblem.Of(recommender) ?? throw new InvalidOperationException("an item-based linear model folds users in");
            Assert.Equal(loss == "masked-mse", problem.Weights is not null);
            string path = Write(problem, steps: 40);
            using var session = new InferenceSession(path);
            var random = new Random(rated);
            int[] movies = [.. problem.MovieIds.OrderBy(_ => random.Next()).Take(rated)];
            var ratings = movies.ToDictionary(id => id, _ => (float)random.Next(1, 6));

            float[] actual = Run(session, problem, ratings);
            float[] expected = recommender.Predict(ratings, problem.MovieIds);

            Assert.Equal(expected, actual, new WithinComparer(1e-4f));
        }
    }

    [Fact]
    public void FewerStepsThanRatingsAreAnApproximationThatMoreStepsClose()
    {
        (IRecommender recommender, RecommenderModel model) = ItemBased("masked-sse");
        using (model)
        {
            FoldInProblem problem = FoldInProblem.Of(recommender)!;
            var ratings = problem.MovieIds.ToDictionary(id => id, id => (float)(1 + (id % 5)));
            float[] expected = recommender.Predict(ratings, problem.MovieIds);

            float Error(int steps)
            {
                using var session = new InferenceSession(Write(problem, steps, $"steps{steps}.onnx"));
                float[] actual = Run(session, problem, ratings);
                return expected.Zip(actual).Max(p => MathF.Abs(p.First - p.Second));
            }

            float one = Error(1);
            float many = Error(ratings.Count);
            Assert.True(many <= 1e-4f, $"{ratings.Count} steps for {ratings.Count} ratings left {many}");
            Assert.True(one > many, $"one step ({one}) should be further off than {ratings.Count} ({many})");
        }
    }

    [Fact]
    public void UserBasedModelsAndNonLinearOutputsHaveNoFoldIn()
    {
        using RecommenderModel user = TestModels.Write(_dir.Root, new ModelSpec(), "user.onnx").Open();
        using RecommenderModel sigmoid = TestModels.Write(
            _dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, OutputActivation = Activation.Sigmoid }, "sigmoid.onnx").Open();
        Rating[] train = [new(101, 1, 4f, 0), new(7, 2, 3f, 0)];

        Assert.Null(FoldInProblem.Of(Recommender.Create(user, [new Rating(1, 101, 4f, 0)])));
        Assert.Null(FoldInProblem.Of(Recommender.Create(sigmoid, train)));
    }

    private (IRecommender Recommender, RecommenderModel Model) ItemBased(string loss)
    {
        int[] users = [41, 3, 77, 12, 5, 60, 29, 8, 93, 17];
        TestModel written = TestModels.Write(
            _dir.Root, new ModelSpec { Kind = ModelKind.ItemBased, Ids = users, Hidden = [6, 8], Seed = 4, L2Decoder = 0.5, Loss = loss, BatchSize = 8 }, $"item-{loss}.onnx");
        var random = new Random(9);
        Rating[] train = [.. Enumerable.Range(1, 30).SelectMany(movie => users.Where(_ => random.Next(3) == 0).Select(u => new Rating(u, movie * 3, random.Next(1, 6), 0)))];
        RecommenderModel model = written.Open();
        return (Recommender.Create(model, train), model);
    }

    private string Write(FoldInProblem problem, int steps, string name = "foldin.onnx")
    {
        string path = _dir.PathOf(name);
        OnnxModelBuilder.Write(
            FoldInGraphBuilder.Build(new FoldInGraphSpec(problem.MovieIds, problem.Codes, problem.Width, problem.Weights, problem.Lambda, problem.RatingMin, problem.RatingMax, steps, "tiny")),
            path);
        return path;
    }

    private static float[] Run(InferenceSession session, FoldInProblem problem, Dictionary<int, float> ratings)
    {
        long[] indices = [.. ratings.Keys.Select(id => (long)Array.IndexOf(problem.MovieIds, id))];
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = session.Run(
        [
            NamedOnnxValue.CreateFromTensor(FoldInGraphBuilder.MoviesInput, new DenseTensor<long>(indices, [indices.Length])),
            NamedOnnxValue.CreateFromTensor(FoldInGraphBuilder.RatingsInput, new DenseTensor<float>(ratings.Values.ToArray(), [ratings.Count])),
        ]);
        return [.. outputs.Single().AsEnumerable<float>()];
    }

    private sealed class WithinComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
