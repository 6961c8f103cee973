using CleanAddon.Infrastructure.Persistence;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Outbox;

/// <summary>
/// On SQLite a lease is committed without a disk flush of its own (<c>synchronous=NORMAL</c>), and every other write
/// stays durable (<c>synchronous=FULL</c>): the connection goes back to its pool as it came, whatever the lease did.
/// </summary>
public sealed class SqliteLeaseWriteTests(AddonApiFactory<Sqlite> factory) : IClassFixture<AddonApiFactory<Sqlite>>
{
    private const int Normal = 1;
    private const int Full = 2;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lease_commits_unflushed_and_the_connection_commits_durably_again_afterwards()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();

        // Held open, so that the lease's connection is the one read afterwards rather than another from the pool.
        await db.Database.OpenConnectionAsync(Cancellation);
        var during = await db.WriteLeaseAsync(_ => Task.FromResult(SynchronousOf(db)), Cancellation);

        during.Should().Be(Normal);
        SynchronousOf(db).Should().Be(Full);
    }

    [Fact]
    public async Task A_lease_that_fails_still_leaves_the_connection_committing_durably()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        await db.Database.OpenConnectionAsync(Cancellation);

        var failing = () => db.WriteLeaseAsync<int>(
            _ => throw new InvalidOperationException("the lease's statement failed"), Cancellation);

        await failing.Should().ThrowAsync<InvalidOperationException>();
        SynchronousOf(db).Should().Be(Full);
    }

    [Fact]
    public async Task A_lease_inside_a_transaction_commits_with_it_durably()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AddonDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(Cancellation);

        var during = await db.WriteLeaseAsync(_ => Task.FromResult(SynchronousOf(db)), Cancellation);
        await transaction.CommitAsync(Cancellation);

        during.Should().Be(Full);
    }

    private static long SynchronousOf(AddonDbContext db)
    {
        using var pragma = ((SqliteConnection)db.Database.GetDbConnection()).CreateCommand();
        pragma.CommandText = "PRAGMA synchronous";
        return (long)pragma.ExecuteScalar()!;
    }
}
