using System.Text.Json.Serialization;

namespace AutoRec.Contracts;

/// <summary>Which rows of the rating matrix the autoencoder reconstructs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelKind>))]
public enum ModelKind
{
    /// <summary>U-AutoRec: the network input is one user's ratings over movies; its output, that user's predicted ratings.</summary>
    [JsonStringEnumMemberName("user-based")]
    UserBased,

    /// <summary>I-AutoRec: the network input is one movie's ratings over users; its output, that movie's predicted ratings by every user.</summary>
    [JsonStringEnumMemberName("item-based")]
    ItemBased,
}

/// <summary>The names of <see cref="ModelKind"/> values as configs and model metadata spell them.</summary>
public static class ModelKinds
{
    /// <summary><c>user-based</c> or <c>item-based</c>.</summary>
    public static string Name(this ModelKind kind) => kind switch
    {
        ModelKind.UserBased => "user-based",
        ModelKind.ItemBased => "item-based",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a model kind"),
    };

    /// <summary>The kind named <paramref name="name"/>, if any.</summary>
    public static bool TryParse(string? name, out ModelKind kind)
    {
        (bool known, kind) = name switch
        {
            "user-based" => (true, ModelKind.UserBased),
            "item-based" => (true, ModelKind.ItemBased),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>What a row of the rating matrix stands for: "user" for user-based models, "movie" for item-based ones.</summary>
    public static string RowEntity(this ModelKind kind) => kind == ModelKind.UserBased ? "user" : "movie";

    /// <summary>What a column (an input or output id) names: "movie" for user-based models, "user" for item-based ones.</summary>
    public static string ColumnEntity(this ModelKind kind) => kind == ModelKind.UserBased ? "movie" : "user";
}
