namespace AutoRec.Inference.Ranking;

/// <summary>
/// Words the one error for ids a recommender does not know: an <see cref="ArgumentException"/> naming every one of
/// them (up to <see cref="Listed"/>), so a caller fixes a request in one round.
/// </summary>
internal static class UnknownIds
{
    /// <summary>How many unknown ids a message lists at most.</summary>
    public const int Listed = 20;

    /// <summary>The error for <paramref name="ids"/> (at least one), unknown <paramref name="entity"/>s among <paramref name="known"/> known ones.</summary>
    public static ArgumentException Error(string entity, IReadOnlyList<int> ids, int known, string parameter, string hint = "")
    {
        string named = string.Join(", ", ids.Take(Listed).Select(id => $"{entity} {id}")) + (ids.Count > Listed ? $" and {ids.Count - Listed} more" : "");
        string verb = ids.Count == 1 ? "is" : "are";
        return new ArgumentException($"{named} {verb} not in the recommender (it knows {known} {entity}s){hint}", parameter);
    }
}
