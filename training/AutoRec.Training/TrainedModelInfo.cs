using System.Text.Json;
using System.Text.Json.Serialization;
using AutoRec.Contracts;
using AutoRec.Onnx;
using AutoRec.Training.Configuration;
using AutoRec.Training.Data;
using AutoRec.Training.Model;

namespace AutoRec.Training;

/// <summary>
/// network.json: what the export needs besides the config and weights: column ids, rating scale, the fill
/// statistics of the training data and the side-feature names.
/// </summary>
public sealed record TrainedModelInfo(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("kind")] ModelKind Kind,
    [property: JsonPropertyName("column_ids")] int[] ColumnIds,
    [property: JsonPropertyName("row_count")] int RowCount,
    [property: JsonPropertyName("rating_min")] float RatingMin,
    [property: JsonPropertyName("rating_max")] float RatingMax,
    [property: JsonPropertyName("global_mean")] float GlobalMean,
    [property: JsonPropertyName("column_means")] float[] ColumnMeans,
    [property: JsonPropertyName("side_features")] IReadOnlyList<string> SideFeatures)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>The network's input width.</summary>
    [JsonIgnore]
    public int InputWidth => ColumnIds.Length + SideFeatures.Count;

    /// <summary>Describes a model trained on <paramref name="data"/>.</summary>
    public static TrainedModelInfo From(string dataset, TrainingData data) => new(
        dataset, data.Kind, data.ColumnIds, data.RowCount, data.Scale.Min, data.Scale.Max, data.GlobalMean,
        data.ColumnMeans, data.Side?.Names ?? []);

    /// <summary>As JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>Reads network.json.</summary>
    public static TrainedModelInfo Read(string path) =>
        JsonSerializer.Deserialize<TrainedModelInfo>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: empty");

    /// <summary>What the model file says about a model with this info, trained with <paramref name="configJson"/>.</summary>
    public ModelMetadata Metadata(string configJson) =>
        // An autoencoder reconstructs its input: the outputs are the input columns.
        new(Kind, ColumnIds, ColumnIds, RatingMin, RatingMax, Dataset, configJson, [.. SideFeatures]);

    /// <summary>The ONNX export spec for a model with this info and config.</summary>
    public OnnxExportSpec ExportSpec(ModelConfig config, string configJson) => new(
        InputPreparation.FillFor(config.Kind, config.Default), (float)config.DefaultValue, GlobalMean, ColumnMeans,
        RatingMin, RatingMax, SideFeatures.Count, Metadata(configJson));
}
