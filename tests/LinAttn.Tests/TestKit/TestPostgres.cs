namespace LinAttn.Tests.TestKit;

/// <summary>The PostgreSQL server of the tests: <c>.ci/with-postgres</c> (which CI always uses) starts one and exports its
/// connection string and a restart command; without them, PostgreSQL tests are skipped with <see cref="SkipReason"/>.</summary>
public static class TestPostgres
{
    public const string Variable = "LINATTN_TEST_POSTGRES";
    public const string RestartVariable = "LINATTN_TEST_POSTGRES_RESTART";

    public const string SkipReason =
        "LINATTN_TEST_POSTGRES is not set: PostgreSQL tests need a server. Run them with `.ci/with-postgres dotnet test LinAttn.MLNet.sln` (CI does).";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    public static bool Available => ConnectionString is not null;
}

/// <summary>A fact that needs the test PostgreSQL server (skipped with a reason when it is absent).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestPostgres.Available) Skip = TestPostgres.SkipReason;
    }
}
