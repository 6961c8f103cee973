using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CleanAddon.Infrastructure.Persistence;

/// <summary>Tells the context that a transaction committed, so that it reports the installations it changed.</summary>
internal sealed class InstallationCommitInterceptor : DbTransactionInterceptor
{
    public static InstallationCommitInterceptor Instance { get; } = new();

    private InstallationCommitInterceptor()
    {
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as AddonDbContext)?.ForgetChangedInstallations();

    public override Task TransactionCommittedAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }
}
