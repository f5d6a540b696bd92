using System.Collections.ObjectModel;
using System.Text.Json;
using AutoRec.Contracts;

namespace AutoRec.Inference;

/// <summary>
/// A blend of exported models (blend.json, <see cref="BlendManifest"/>): each member is a complete AutoRec model of
/// its own, item-based or user-based, and a prediction is clip(intercept + Σ weight_k · prediction_k) on the rating
/// scale, each member's prediction being what its own <see cref="IRecommender"/> serves. Holds one
/// <see cref="RecommenderModel"/> per member; dispose it only when no call is in flight. To recommend, build an
/// <see cref="IRecommender"/> with <see cref="Recommender.Create(BlendedModel, IEnumerable{Rating}, MovieCatalog?)"/>.
/// </summary>
public sealed class BlendedModel : IDisposable
{
    private BlendedModel(string source, BlendManifest manifest, RecommenderModel[] members)
    {
        Source = source;
        Manifest = manifest;
        Members = Array.AsReadOnly(members);
    }

    /// <summary>The manifest's path.</summary>
    public string Source { get; }

    /// <summary>The weights and members, as the manifest gives them.</summary>
    public BlendManifest Manifest { get; }

    /// <summary>The members' models, in the manifest's order.</summary>
    public ReadOnlyCollection<RecommenderModel> Members { get; }

    /// <summary>The lowest rating of the scale the members share.</summary>
    public float RatingMin => Members[0].Metadata.RatingMin;

    /// <summary>The highest rating of that scale.</summary>
    public float RatingMax => Members[0].Metadata.RatingMax;

    /// <summary>Whether <paramref name="path"/> names a blend manifest (a <c>.json</c> file) rather than a model file.</summary>
    public static bool IsManifest(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the manifest at <paramref name="path"/> and opens its members' model files.</summary>
    /// <exception cref="ModelFormatException">
    /// The manifest is missing or malformed (<see cref="ModelErrorCodes.BadBlend"/>), a member's model cannot be opened
    /// (its own code, naming its file), or the members do not share a rating scale and dataset.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static BlendedModel Open(string path, RecommenderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ModelFormatException(ModelErrorCodes.MissingFile, path, "blend manifest not found");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(ModelErrorCodes.NotLoadable, path, $"cannot be read: {e.Message}", e);
        }

        return Open(path, bytes, options);
    }

    /// <summary>
    /// Opens the blend whose manifest is <paramref name="manifestBytes"/>, read from <paramref name="path"/> (so that a
    /// caller who hashed those bytes serves exactly them); member paths are taken from <paramref name="path"/>'s folder.
    /// </summary>
    /// <exception cref="ModelFormatException">As <see cref="Open(string, RecommenderOptions?)"/>.</exception>
    public static BlendedModel Open(string path, byte[] manifestBytes, RecommenderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(manifestBytes);
        BlendManifest manifest;
        try
        {
            manifest = BlendManifest.Parse(System.Text.Encoding.UTF8.GetString(manifestBytes));
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(ModelErrorCodes.BadBlend, path, $"not a blend manifest: {e.Message}", e);
        }

        var members = new List<RecommenderModel>(manifest.Members.Count);
        try
        {
            foreach (BlendMember member in manifest.Members)
            {
                RecommenderModel model = RecommenderModel.Open(BlendManifest.ModelPath(path, member), options);
                members.Add(model);
                if (member.Sha256 is string pinned && !string.Equals(pinned, model.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ModelFormatException(
                        ModelErrorCodes.BadBlend, path,
                        $"member '{member.Name}' ({model.Source}) is not the file the blend was fit with (SHA-256 {model.Sha256}, manifest {pinned}): " +
                        "build the blend again so that its weights are fit to the members it serves");
                }
            }

            CheckCompatible(path, manifest, members);
            return new BlendedModel(path, manifest, [.. members]);
        }
        catch
        {
            members.ForEach(m => m.Dispose());
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (RecommenderModel member in Members)
        {
            member.Dispose();
        }
    }

    internal void ThrowIfDisposed()
    {
        foreach (RecommenderModel member in Members)
        {
            member.ThrowIfDisposed();
        }
    }

    /// <summary>Members blended on different scales or datasets would mix numbers that do not mean the same thing.</summary>
    private static void CheckCompatible(string path, BlendManifest manifest, List<RecommenderModel> members)
    {
        ModelMetadata first = members[0].Metadata;
        for (int i = 1; i < members.Count; i++)
        {
            ModelMetadata other = members[i].Metadata;
            if (other.RatingMin != first.RatingMin || other.RatingMax != first.RatingMax)
            {
                throw new ModelFormatException(
                    ModelErrorCodes.BadBlend, path,
                    $"member '{manifest.Members[i].Name}' rates on [{other.RatingMin}, {other.RatingMax}] but '{manifest.Members[0].Name}' on [{first.RatingMin}, {first.RatingMax}]");
            }

            if (other.Dataset != first.Dataset)
            {
                throw new ModelFormatException(
                    ModelErrorCodes.BadBlend, path,
                    $"member '{manifest.Members[i].Name}' was trained on {other.Dataset} but '{manifest.Members[0].Name}' on {first.Dataset}");
            }
        }
    }
}
