using AutoRec.Contracts;

namespace AutoRec.Data;

/// <summary>The ratings of one dataset with their users and movies (users may be empty).</summary>
public sealed record MovieLensDataset(
    string Name,
    RatingScale Scale,
    Rating[] Ratings,
    IReadOnlyList<User> Users,
    IReadOnlyList<Movie> Movies);
