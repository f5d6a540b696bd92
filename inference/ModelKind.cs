namespace AutoRec.Inference;

/// <summary>Which rows the autoencoder reconstructs.</summary>
public enum ModelKind
{
    /// <summary>U-AutoRec: the network input is one user's ratings over movies; its output, that user's predicted ratings.</summary>
    UserBased,

    /// <summary>I-AutoRec: the network input is one movie's ratings over users; its output, that movie's predicted ratings by every user.</summary>
    ItemBased,
}
