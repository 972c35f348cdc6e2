namespace LinAttn.Cli.Reproduction;

/// <summary>What a recipe produced: its report blocks, the claims checked, the files written and the wall time.</summary>
internal sealed class RecipeReport
{
    public RecipeReport(string name, string title)
    {
        Name = name;
        Title = title;
    }

    public string Name { get; }

    public string Title { get; }

    public List<ReportBlock> Blocks { get; } = new();

    public List<Claim> Claims { get; } = new();

    public List<string> Files { get; } = new();

    public double WallSeconds { get; set; }

    public string Profile { get; set; } = "";

    public RecipeReport Heading(string text) => Add(new HeadingBlock(text));

    public RecipeReport Paragraph(string text) => Add(new ParagraphBlock(text));

    public RecipeReport Image(string fileName, string caption) => Add(new ImageBlock(fileName, caption));

    public RecipeReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) => Add(new TableBlock(header, rows.ToList()));

    private RecipeReport Add(ReportBlock block)
    {
        Blocks.Add(block);
        return this;
    }
}
