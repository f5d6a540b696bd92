namespace AutoRec.Contracts;

/// <summary>One rating as MovieLens gives it, with the dataset's own ids.</summary>
public readonly record struct Rating(int UserId, int MovieId, float Value, long Timestamp);

/// <summary>A MovieLens user's demographics (ml-100k and ml-1m only).</summary>
public sealed record User(int UserId, string Gender, int Age, string Occupation, string ZipCode);

/// <summary>A movie: its title (decoded to UTF-8) and genres as the original '|' list.</summary>
public sealed record Movie(int MovieId, string Title, string Genres);
