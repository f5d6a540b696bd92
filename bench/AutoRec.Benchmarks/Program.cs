using AutoRec.Benchmarks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// autorec-bench data                                 BenchmarkDotNet: ConvertMovieLens and SplitRatings on ML-1M
//                                                    (or AUTOREC_DATASET in AUTOREC_DATASET_DIR)
// autorec-bench data-stage --dataset NAME --dir DIR  convert and split once, cold, timing each step
// autorec-bench inference --model DIR --data DIR     latency percentiles and throughput, ONNX Runtime vs TorchSharp
// autorec-bench blend --blend FILE --data DIR        a blend's latency, member by member (blend.json)
// autorec-bench synth --out DIR [--users N] ...      writes a synthetic ml-20m-shaped dataset (ratings.csv, movies.csv)
if (args.Length > 0 && args[0] == "synth")
{
    return SynthCommand.Run(args[1..], Console.Out);
}

if (args.Length > 0 && args[0] == "inference")
{
    return InferenceBench.Run(args[1..], Console.Out);
}

if (args.Length > 0 && args[0] == "blend")
{
    return BlendBench.Run(args[1..], Console.Out);
}

if (args.Length > 0 && args[0] == "data-stage")
{
    return DataStageCommand.Run(args[1..], Console.Out);
}

if (args.Length > 0 && args[0] == "data")
{
    // In process: the benchmarks need no separate build, and BenchmarkDotNet's generated project would not carry
    // this project's RuntimeIdentifier and native libraries.
    IConfig config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(10));
    BenchmarkRunner.Run<DataBenchmarks>(config, args[1..]);
    return 0;
}

Console.Error.WriteLine("usage: autorec-bench data | autorec-bench inference --model DIR --data DIR [--calls N] | autorec-bench blend --blend FILE --data DIR [--calls N] | autorec-bench data-stage --dataset NAME --dir DIR [--out DIR] | autorec-bench synth --out DIR [--users N] [--movies N] [--ratings N] [--seed N]");
return 2;
