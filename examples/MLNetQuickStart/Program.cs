using LinAttn.Examples.MLNet;

// dotnet run --project examples/MLNetQuickStart [-- quickstart | grouped | score <model.zip> <prompts.bin>]
string what = args.Length > 0 ? args[0] : "all";
switch (what)
{
    case "all":
        QuickStartExample.Example();
        Console.WriteLine();
        GroupedRegressionExample.Example();
        return 0;
    case "quickstart":
        QuickStartExample.Example();
        return 0;
    case "grouped":
        GroupedRegressionExample.Example();
        return 0;
    case "score" when args.Length == 3:
        return FreshProcessScoring.Run(args[1], args[2], Console.Out);
    default:
        Console.Error.WriteLine("usage: MLNetQuickStart [quickstart | grouped | score <model.zip> <prompts.bin>]");
        return 2;
}
