using AutoRec.Contracts;

namespace AutoRec.Data;

/// <summary>The ratings of one dataset with their users and movies (users may be empty).</summary>
public sealed record MovieLensDataset(
    string Name,
    RatingScale Scale,
    Rating[] Ratings,
    IReadOnlyList<User> Users,
    IReadOnlyList<Movie> Movies);

/// <summary>A dataset as <see cref="MovieLensReader.ReadTables"/> reads it: the ratings as columns, with their users and movies (users may be empty).</summary>
public sealed record MovieLensTables(
    string Name,
    RatingScale Scale,
    RatingColumns Ratings,
    IReadOnlyList<User> Users,
    IReadOnlyList<Movie> Movies);
