using AutoRec.Training;

namespace AutoRec.Export;

/// <summary>The exported graph does not reproduce the trained network (AR2101).</summary>
public sealed class ExportMismatchException(string message) : CodedException("AR2101", message);
