using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/AutoRec.Benchmarks -- --filter '*DataBenchmarks*'
BenchmarkSwitcher.FromAssembly(typeof(AutoRec.Benchmarks.DataBenchmarks).Assembly).Run(args);
