using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Operability;

/// <summary>
/// <c>dotnet CleanAddon.Api.dll dead-letters ...</c>, run as an operator runs it, on the database of a running add-on,
/// on either provider.
/// </summary>
public abstract class DeadLettersVerbTests(AddonApiFactory factory)
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(90);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dead_letters_are_listed_retried_and_purged_through_the_verb()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        factory.HipChat.InjectFault(Deliveries.NotificationPath(room), 400, times: 2);
        await factory.SendAsync(installation, room, "first refused");
        await factory.SendAsync(installation, room, "second refused");
        await factory.WaitUntilSettledAsync(installation.OAuthId);
        var ids = await factory.WithDbAsync(db => db.Outbox
            .Where(m => m.OAuthId == installation.OAuthId && m.DeadLetteredAt != null).OrderBy(m => m.Id).Select(m => m.Id)
            .ToListAsync(Cancellation));

        var list = await VerbAsync("list", "--oauth-id", installation.OAuthId);

        list.ExitCode.Should().Be(0, list.Error);
        var rows = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split('\t')).ToList();
        rows.Select(row => long.Parse(row[0], System.Globalization.CultureInfo.InvariantCulture)).Should().BeEquivalentTo(ids);
        rows.Should().OnlyContain(row => row[2] == installation.OAuthId && row[4] == "room-notification"
            && row[6].Contains("(400)", StringComparison.Ordinal));

        var retry = await VerbAsync("retry", ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture));

        retry.ExitCode.Should().Be(0, retry.Error);
        await factory.HipChat.WaitForDeliveryAsync(room, "echo first refused");
        await factory.WaitUntilSettledAsync(installation.OAuthId);

        var keep = await VerbAsync("purge", "--older-than", "14d");
        var purge = await VerbAsync("purge", "--older-than=0s");

        keep.ExitCode.Should().Be(0, keep.Error);
        keep.Output.Should().Contain("Purged 0 dead letter(s)");
        purge.ExitCode.Should().Be(0, purge.Error);
        (await factory.DeadLetteredAsync(installation.OAuthId)).Should().Be(0);
        (await factory.WithDbAsync(db => db.Outbox.CountAsync(m => ids.Contains(m.Id), Cancellation))).Should().Be(0);
    }

    [Theory]
    [InlineData(1, "no dead letter has id", "retry", "987654321")]
    [InlineData(2, "usage", "frobnicate")]
    [InlineData(2, "usage", "retry", "forty-two")]
    [InlineData(2, "usage", "purge", "--older-than", "soon")]
    [InlineData(2, "Limit", "list", "--limit", "0")]
    [InlineData(1, "Database:Provider", "list", "--Database:Provider=Oracle")]
    public async Task A_verb_that_cannot_run_says_why_in_one_line_and_exits_non_zero(int exitCode, string reason, params string[] arguments)
    {
        var result = await VerbAsync(arguments);

        result.ExitCode.Should().Be(exitCode, result.Error);
        var line = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Subject;
        line.Should().StartWith("CleanAddon dead-letters: ").And.Contain(reason);
        result.Error.Should().NotContain("   at ");
    }

    private Task<CommandResult> VerbAsync(params string[] arguments) =>
        AddonProcess.RunAsync(
            new Dictionary<string, string>(TestDatabase.Environment(factory.Provider, factory.ConnectionString))
            {
                ["DataProtection__CertificatePath"] = TestKeyEncryption.CertificatePath,
            },
            ["dead-letters", .. arguments],
            Run);
}

public sealed class PostgresDeadLettersVerbTests(AddonApiFactory<Postgres> factory)
    : DeadLettersVerbTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteDeadLettersVerbTests(AddonApiFactory<Sqlite> factory)
    : DeadLettersVerbTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
