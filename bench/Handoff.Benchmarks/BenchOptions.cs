using System.Globalization;

namespace Handoff.Benchmarks;

internal sealed record BenchOptions(int Handoffs, int Concurrency, int Timers)
{
    public static BenchOptions Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new BenchOptions(Value("--handoffs", 200), Value("--concurrency", 16), Value("--timers", 40));
    }

    public override string ToString() => $"{Handoffs} handoffs, {Concurrency} concurrent, {Timers} timers";
}
