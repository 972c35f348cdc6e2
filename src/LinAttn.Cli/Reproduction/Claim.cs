namespace LinAttn.Cli.Reproduction;

/// <summary>One of the paper's claims checked against our numbers.</summary>
/// <param name="Id">Short identifier (e.g. "s1-loss").</param>
/// <param name="Statement">The claim, as the paper makes it.</param>
/// <param name="Passed">True or false; null when it could not be evaluated (a value is missing).</param>
/// <param name="Measured">Our value(s), e.g. "2.1e-03 (Adam) vs 8.4e-03 (SGDM)".</param>
/// <param name="Paper">The paper's value or description.</param>
/// <param name="Required">True for the claims the issue requires to pass in the quick profile.</param>
internal sealed record Claim(string Id, string Statement, bool? Passed, string Measured, string Paper, bool Required = false)
{
    public string Verdict => Passed switch { true => "PASS", false => "FAIL", null => "N/A" };
}
