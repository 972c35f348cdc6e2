namespace LinAttn.Cli.Reproduction;

/// <summary>A piece of a recipe's report, rendered to Markdown and HTML by <c>ReportWriter</c>.</summary>
internal abstract record ReportBlock;

/// <summary>A section heading.</summary>
internal sealed record HeadingBlock(string Text) : ReportBlock;

/// <summary>A paragraph of plain text (Markdown inline code with backticks is kept in both outputs).</summary>
internal sealed record ParagraphBlock(string Text) : ReportBlock;

/// <summary>A PNG in the recipe folder, with a caption.</summary>
internal sealed record ImageBlock(string FileName, string Caption) : ReportBlock;

/// <summary>A table.</summary>
internal sealed record TableBlock(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;
