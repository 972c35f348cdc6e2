using Xunit.Abstractions;
using Xunit.Sdk;

namespace LinAttn.Tests.TestKit;

/// <summary>A theory whose first argument names a storage backend ("sqlite" or "postgres", see
/// <see cref="StudyDatabase.Backends"/>): one set of tests for both stores. The "postgres" rows are skipped with
/// <see cref="TestPostgres.SkipReason"/> when no server is configured; the "sqlite" rows always run.</summary>
[XunitTestCaseDiscoverer("LinAttn.Tests.TestKit.StorageTheoryDiscoverer", "LinAttn.Tests")]
public sealed class StorageTheoryAttribute : TheoryAttribute
{
}

/// <summary>Skips the PostgreSQL rows of a <see cref="StorageTheoryAttribute"/> theory when no server is configured.</summary>
public sealed class StorageTheoryDiscoverer : TheoryDiscoverer
{
    public StorageTheoryDiscoverer(IMessageSink diagnosticMessageSink) : base(diagnosticMessageSink)
    {
    }

    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod,
        IAttributeInfo theoryAttribute, object[] dataRow)
        => dataRow.Length > 0 && dataRow[0] is StudyDatabase.Postgres && !TestPostgres.Available
            ? CreateTestCasesForSkippedDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow, TestPostgres.SkipReason)
            : base.CreateTestCasesForDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow);
}
