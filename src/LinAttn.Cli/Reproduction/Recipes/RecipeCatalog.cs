namespace LinAttn.Cli.Reproduction.Recipes;

/// <summary>The reproduction targets by name, in the order <c>reproduce all</c> runs them.</summary>
internal static class RecipeCatalog
{
    public static IReadOnlyList<Recipe> All { get; } = new Recipe[]
    {
        new Fig2Recipe(),
        new Fig4Recipe(),
        new Fig5Recipe(),
        new Fig6Recipe(),
        new Fig7Recipe(),
        new Fig8Recipe(),
        new NonlinearRecipe(),
    };

    public static IReadOnlyList<string> Names => All.Select(r => r.Name).Append("all").ToArray();

    public static IReadOnlyList<Recipe> Resolve(string target)
    {
        string name = target.Trim().ToLowerInvariant();
        if (name == "all") return All;
        Recipe? recipe = All.FirstOrDefault(r => r.Name == name);
        return recipe is null
            ? throw new ArgumentOutOfRangeException("target", $"'{target}' is not a reproduction target. Known targets: {string.Join(", ", Names)}.")
            : new[] { recipe };
    }
}
