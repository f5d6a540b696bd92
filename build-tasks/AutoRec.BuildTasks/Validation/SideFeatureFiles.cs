using AutoRec.Contracts;
using AutoRec.Data;
using AutoRec.Inference;

namespace AutoRec.BuildTasks.Validation;

/// <summary>The side features a model needs, read from the pipeline's data folder as training reads them.</summary>
internal static class SideFeatureFiles
{
    /// <summary>Users' features (user-based models) from users.parquet, or movies' (item-based) from movies.parquet, encoded against the model's feature names.</summary>
    /// <exception cref="DataFormatException">The file is missing or malformed.</exception>
    public static Dictionary<int, float[]> Load(RecommenderModel model, string dataDirectory) =>
        model.Kind == ModelKind.UserBased
            ? SideFeatureEncoder.ForUsers(model.SideFeatures, ParquetTables.ReadUsers(Path.Combine(dataDirectory, "users.parquet")))
            : SideFeatureEncoder.ForMovies(model.SideFeatures, ParquetTables.ReadMovies(Path.Combine(dataDirectory, "movies.parquet")));
}
