using Handoff.Soak;

if (!SoakOptions.TryParse(args, out var options, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(SoakOptions.Usage);
    return 2;
}

return await SoakRun.RunAsync(options!);
