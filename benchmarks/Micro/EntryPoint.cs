using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace CleanAddon.Micro;

/// <summary><c>dotnet run -c Release --project benchmarks/Micro -- --filter '*'</c>; see benchmarks/README.md.</summary>
public static class EntryPoint
{
    // In-process: BenchmarkDotNet's usual child project would be built under this repository's strict build settings.
    // A fixed number of short iterations bounds the run on a shared, noisy machine (about a minute and a half).
    private static readonly Job Bounded = Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(3)
        .WithIterationCount(15)
        .WithIterationTime(TimeInterval.FromMilliseconds(250));

    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(EntryPoint).Assembly).Run(args, DefaultConfig.Instance.AddJob(Bounded));
}
