using AutoRec.BuildTasks.Blends;
using AutoRec.Data;
using AutoRec.Inference;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AutoRec.BuildTasks.Tests;

/// <summary>
/// The blend stage's tasks on tiny members built with the real exporter: FitBlend fits on validation what the library
/// serves, ValidateModel scores blend.json through it, and ReadBlendConfig tells blend configs from model configs.
/// </summary>
public sealed class BlendTaskTests : IDisposable
{
    private static readonly int[] Users = [31, 12, 57, 8, 44, 20, 66, 3, 90, 15];
    private static readonly int[] Movies = [5, 1, 13, 2, 21, 8, 3, 34, 40, 11, 7, 17];

    private readonly TempDir _dir = new();
    private readonly string _train;
    private readonly string _validation;
    private readonly string _test;
    private readonly string _manifest;

    public BlendTaskTests()
    {
        (Rating[] train, Rating[] validation, Rating[] test) = Split();
        (_train, _validation, _test) = (_dir.PathOf("train.parquet"), _dir.PathOf("validation.parquet"), _dir.PathOf("test.parquet"));
        ParquetTables.WriteRatings(_train, train);
        ParquetTables.WriteRatings(_validation, validation);
        ParquetTables.WriteRatings(_test, test);
        Directory.CreateDirectory(_dir.PathOf("members"));
        TestModels.Write(_dir.PathOf("members"), new ModelSpec { Kind = ModelKind.ItemBased, Ids = Users, Hidden = [4], Seed = 4 }, "item.onnx");
        TestModels.Write(_dir.PathOf("members"), new ModelSpec { Kind = ModelKind.UserBased, Ids = Movies, Hidden = [3], Seed = 5 }, "user.onnx");
        _manifest = _dir.PathOf("model/blend.json");
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(2)] // weights that follow the user's and the movie's number of training ratings
    public void FitBlendWritesWeightsWhoseServedBlendScoresWhatTheFitReports(int supportPowers)
    {
        (bool ok, FakeBuildEngine engine) = Fit(_validation, supportPowers);
        Assert.True(ok, string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.Contains(engine.Messages, m => m.Importance == MessageImportance.High && m.Message!.Contains("blend tiny-blend fit on", StringComparison.Ordinal));

        BlendManifest manifest = BlendManifest.Read(_manifest);
        Assert.Equal(["../members/item.onnx", "../members/user.onnx"], manifest.Members.Select(m => m.Model));
        string[] files = ["members/item.onnx", "members/user.onnx"];
        Assert.Equal(files, manifest.Members.Select(m => Path.GetRelativePath(_dir.Root, BlendManifest.ModelPath(_manifest, m))));
        Assert.Equal(
            files.Select(f => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_dir.PathOf(f))))),
            manifest.Members.Select(m => m.Sha256));
        Assert.Equal("tiny", manifest.Dataset);
        Assert.Equal(supportPowers == 0 ? BlendManifest.CurrentFormat : BlendManifest.SupportFormat, manifest.Format);
        Assert.Equal(supportPowers * 2, manifest.Support?.Terms.Count ?? 0);
        Rating[] validation = ParquetTables.ReadRatings(_validation);
        Assert.Equal(validation.Length, manifest.ValidationRatings);

        // Served = fitted: the blend's recommender scores the validation ratings exactly as the fit reported.
        using BlendedModel blend = BlendedModel.Open(_manifest);
        Rating[] train = ParquetTables.ReadRatings(_train);
        RmseResult served = RecommenderPredictions.Score(validation, RecommenderPredictions.Of(Recommender.Create(blend, train), validation));
        Assert.Equal(manifest.ValidationRmse, served.Global, 5);
        for (int k = 0; k < 2; k++)
        {
            RmseResult alone = RecommenderPredictions.Score(validation, RecommenderPredictions.Of(Recommender.Create(blend.Members[k], train), validation));
            Assert.Equal(alone.Global, manifest.Members[k].ValidationRmse, 5);

            // Least squares with an intercept can always give one member weight 1 and the rest 0.
            Assert.True(manifest.ValidationRmse <= alone.Global + 1e-6, $"blend {manifest.ValidationRmse} is worse than member {k} alone ({alone.Global})");
        }
    }

    [Fact]
    public void ValidateModelScoresABlendAsServedAndGatesIt()
    {
        Assert.True(Fit(_validation).Ok);
        using (BlendedModel blend = BlendedModel.Open(_manifest))
        {
            Rating[] test = ParquetTables.ReadRatings(_test);
            IRecommender recommender = Recommender.Create(blend, ParquetTables.ReadRatings(_train));
            RmseResult expected = RecommenderPredictions.Score(test, RecommenderPredictions.Of(recommender, test));
            string output = _dir.PathOf("model/validation.json");

            (bool ok, FakeBuildEngine engine) = Validate(output, "4");
            Assert.True(ok, string.Join("\n", engine.Errors.Select(e => e.Message)));
            ValidationReport report = ValidationReport.Read(output);
            Assert.Equal(expected.Global, report.TestRmse, 6);
            Assert.Equal(expected.Count, report.TestRatings);
            Assert.Equal(ModelKind.ItemBased, report.Kind);
            Assert.Equal(Path.GetFullPath(_manifest), report.Model);
            Rating[] train = ParquetTables.ReadRatings(_train);
            double mean = train.Average(r => (double)r.Value);
            Assert.Equal(Math.Sqrt(test.Average(r => (r.Value - mean) * (r.Value - mean))), report.MeanBaselineRmse, 9);
            Assert.Contains(engine.Messages, m => m.Message!.Contains("(predicting the training mean: ", StringComparison.Ordinal));

            (ok, engine) = Validate(output, "0.01");
            Assert.False(ok);
            Assert.Contains(engine.Errors, e => e.Code == "AR3101");
            Assert.False(ValidationReport.Read(output).Passed);
        }
    }

    [Fact]
    public void FitBlendWithoutValidationRatingsIsALocatedError()
    {
        string empty = _dir.PathOf("empty.parquet");
        ParquetTables.WriteRatings(empty, []);
        (bool ok, FakeBuildEngine engine) = Fit(empty);
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR3103", error.Code);
        Assert.Equal(empty, error.File);
        Assert.Contains("SplitValidationFraction > 0", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_manifest));
    }

    [Fact]
    public void FitBlendNamesAMissingMember()
    {
        File.Delete(_dir.PathOf("members/user.onnx"));
        (bool ok, FakeBuildEngine engine) = Fit(_validation);
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(ModelErrorCodes.MissingFile, error.Code);
        Assert.Equal(_dir.PathOf("members/user.onnx"), error.File);
    }

    [Fact]
    public void APlainModelConfigIsNotABlend()
    {
        string config = _dir.PathOf("plain.json");
        File.WriteAllText(config, "{ // a model\n \"kind\": \"item-based\" }");
        (bool ok, _, ReadBlendConfig task) = ReadConfig(config);
        Assert.True(ok);
        Assert.False(task.IsBlend);
        Assert.Empty(task.Members);
    }

    [Fact]
    public void ABlendConfigListsItsMembersWithTheirGates()
    {
        File.WriteAllText(_dir.PathOf("item.json"), "{ \"kind\": \"item-based\" }");
        Directory.CreateDirectory(_dir.PathOf("sub"));
        File.WriteAllText(_dir.PathOf("sub/user.json"), "{ \"kind\": \"user-based\" }");
        string config = _dir.PathOf("blend.json");
        File.WriteAllText(config, """
            {
              // two members
              "name": "pair",
              "blend": [
                { "name": "item", "config": "item.json" },
                { "name": "user", "config": "sub/user.json", "max_test_rmse": 0.9 },
                { "name": "loose", "config": "item.json", "max_test_rmse_margin": 0.07 },
              ],
              "support_powers": 2
            }
            """);

        (bool ok, FakeBuildEngine engine, ReadBlendConfig task) = ReadConfig(config);
        Assert.True(ok, string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.True(task.IsBlend);
        Assert.Equal("pair", task.BlendName);
        Assert.Equal(2, task.SupportPowers);
        Assert.Equal(["item", "user", "loose"], task.Members.Select(m => m.ItemSpec));
        Assert.Equal([_dir.PathOf("item.json"), _dir.PathOf("sub/user.json"), _dir.PathOf("item.json")], task.Members.Select(m => m.GetMetadata("Config")));
        Assert.Equal(["0.84", "0.9", "0.91"], task.Members.Select(m => m.GetMetadata("MaxTestRmse")));
    }

    [Theory]
    [InlineData("""{ "blend": { "name": "a" } }""", "must be an array of at least two members")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" } ] }""", "must be an array of at least two members")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b" } ] }""", "blend member 2 needs a \"name\" and a \"config\"")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "../b", "config": "item.json" } ] }""", "name '../b' must be letters")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "a", "config": "item.json" } ] }""", "'a' is used twice")]
    [InlineData("""{ "blend": [ { "name": "Item", "config": "item.json" }, { "name": "item", "config": "item.json" } ] }""", "'item' is used twice")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "side.json" } ] }""", "uses side information")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "nowhere.json" } ] }""", "blend member 'b': its config")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "item.json", "max_test_rmse": -1 } ] }""", "max_test_rmse must be a non-negative number")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "item.json", "max_test_rmse_margin": "0.1" } ] }""", "max_test_rmse_margin must be a non-negative number")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "item.json", "max_test_rmse": 0.9, "max_test_rmse_margin": 0.1 } ] }""", "not both")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "inner.json" } ] }""", "is itself a blend")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "item.json" } ], "support_powers": 5 }""", "support_powers must be a whole number from 0 to 4")]
    [InlineData("""{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "item.json" } ], "support_powers": 1.5 }""", "support_powers must be a whole number")]
    public void BadBlendConfigsAreAR2010AtTheFile(string json, string reason)
    {
        File.WriteAllText(_dir.PathOf("item.json"), "{ \"kind\": \"item-based\" }");
        File.WriteAllText(_dir.PathOf("side.json"), "{ \"kind\": \"user-based\", \"side_information\": true }");
        File.WriteAllText(_dir.PathOf("inner.json"), """{ "blend": [ { "name": "a", "config": "item.json" }, { "name": "b", "config": "item.json" } ] }""");
        string config = _dir.PathOf("bad.json");
        File.WriteAllText(config, json);

        (bool ok, FakeBuildEngine engine, _) = ReadConfig(config);
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR2010", error.Code);
        Assert.Equal(config, error.File);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedJsonIsReportedAtItsLine()
    {
        string config = _dir.PathOf("broken.json");
        File.WriteAllText(config, "{\n  \"blend\": [\n    { \"name\": \"a\" \"config\": \"x\" }\n  ]\n}");
        (bool ok, FakeBuildEngine engine, _) = ReadConfig(config);
        Assert.False(ok);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("AR2010", error.Code);
        Assert.Equal(3, error.LineNumber);
    }

    /// <summary>Every user rates about half the movies; each rating goes to train, validation or test at random (every movie keeps one in train).</summary>
    private static (Rating[] Train, Rating[] Validation, Rating[] Test) Split()
    {
        var random = new Random(9);
        List<Rating> train = [], validation = [], test = [];
        for (int m = 0; m < Movies.Length; m++)
        {
            for (int u = 0; u < Users.Length; u++)
            {
                bool anchor = u == m % Users.Length;
                if (!anchor && random.Next(3) == 0)
                {
                    continue;
                }

                var rating = new Rating(Users[u], Movies[m], 1 + random.Next(5), 0);
                (anchor ? train : (random.Next(4) switch { 0 => validation, 1 => test, _ => train })).Add(rating);
            }
        }

        return ([.. train], [.. validation], [.. test]);
    }

    private (bool Ok, FakeBuildEngine Engine) Fit(string validation, int supportPowers = 0)
    {
        var engine = new FakeBuildEngine();
        var task = new FitBlend
        {
            BuildEngine = engine,
            BlendName = "tiny-blend",
            Members = [Member("item", "members/item.onnx"), Member("user", "members/user.onnx")],
            TrainFile = _train,
            ValidationFile = validation,
            OutputFile = _manifest,
            SupportPowers = supportPowers,
        };
        return (task.Execute(), engine);
    }

    private TaskItem Member(string name, string model)
    {
        var item = new TaskItem(name);
        item.SetMetadata("ModelFile", _dir.PathOf(model));
        return item;
    }

    private (bool Ok, FakeBuildEngine Engine) Validate(string output, string max)
    {
        var engine = new FakeBuildEngine();
        var task = new ValidateModel { BuildEngine = engine, ModelFile = _manifest, TrainFile = _train, TestFile = _test, OutputFile = output, MaxTestRmse = max };
        return (task.Execute(), engine);
    }

    private static (bool Ok, FakeBuildEngine Engine, ReadBlendConfig Task) ReadConfig(string config)
    {
        var engine = new FakeBuildEngine();
        var task = new ReadBlendConfig { BuildEngine = engine, ConfigFile = config, DefaultMaxTestRmse = "0.84" };
        return (task.Execute(), engine, task);
    }
}
