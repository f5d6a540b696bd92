namespace AutoRec.Training.Training;

/// <summary>One epoch's numbers, as written to history.csv.</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TrainRmse, double ValidationRmse, double ValidationRmseUserMean, double Seconds);
