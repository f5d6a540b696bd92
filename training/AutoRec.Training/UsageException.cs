namespace AutoRec.Training;

/// <summary>The command line is wrong: reported with the tool's usage.</summary>
public sealed class UsageException(string message) : Exception(message);
