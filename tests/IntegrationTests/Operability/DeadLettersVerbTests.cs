using System.Globalization;
using CleanAddon.IntegrationTests.Infrastructure;
using CleanAddon.IntegrationTests.TestAddon;
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
    public async Task Dead_letters_of_both_queues_are_listed_by_kind_retried_by_name_and_purged_through_the_verb()
    {
        var room = Deliveries.NewRoom();
        var installation = await factory.InstallAsync(room);
        var failing = $"{TestAddonModule.FailingPrefix} {Guid.NewGuid()}";
        factory.HipChat.InjectFault(Deliveries.NotificationPath(room), 400, times: 2);
        await factory.SendAsync(installation, room, "first refused");
        await factory.SendAsync(installation, room, "second refused");
        await factory.SendAsync(installation, room, failing);
        await factory.WaitUntilSettledAsync(installation.OAuthId);
        var calls = await factory.WithDbAsync(db => db.HipChatCalls
            .Where(c => c.OAuthId == installation.OAuthId && c.DeadLetteredAt != null).OrderBy(c => c.Id).Select(c => c.Id)
            .ToListAsync(Cancellation));
        var webhooks = await factory.WithDbAsync(db => db.WebhookJobs
            .Where(j => j.OAuthId == installation.OAuthId && j.DeadLetteredAt != null).Select(j => j.Id)
            .ToListAsync(Cancellation));
        calls.Should().HaveCount(2);
        webhooks.Should().ContainSingle();

        var list = await VerbAsync("list", "--oauth-id", installation.OAuthId);

        list.ExitCode.Should().Be(0, list.Error);
        var rows = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split('\t')).ToList();
        rows.Select(row => row[0]).Should().BeEquivalentTo([$"call:{calls[0]}", $"call:{calls[1]}", $"webhook:{webhooks[0]}"]);
        rows.Should().OnlyContain(row => row[2] == installation.OAuthId && row[3] == room.ToString(CultureInfo.InvariantCulture));
        rows.Where(row => row[0].StartsWith("call:", StringComparison.Ordinal))
            .Should().OnlyContain(row => row[4] == "RoomNotification" && row[6].Contains("(400)", StringComparison.Ordinal));
        var webhookRow = rows.Single(row => row[0].StartsWith("webhook:", StringComparison.Ordinal));
        webhookRow[4].Should().Be(TestAddonModule.EchoKey, "a webhook dead letter names its webhook");
        webhookRow[6].Should().Be("The webhook's handler failed (InvalidOperationException)");

        TallyEchoHandler.Heal(failing);
        var retryCall = await VerbAsync("retry", $"call:{calls[0]}");
        var retryWebhook = await VerbAsync("retry", $"webhook:{webhooks[0]}");

        retryCall.ExitCode.Should().Be(0, retryCall.Error);
        retryCall.Output.Should().Contain($"Dead letter call:{calls[0]} is queued again");
        retryWebhook.ExitCode.Should().Be(0, retryWebhook.Error);
        await factory.HipChat.WaitForDeliveryAsync(room, "echo first refused");
        await factory.HipChat.WaitForDeliveryAsync(room, $"echo {failing}");
        await factory.WaitUntilSettledAsync(installation.OAuthId);
        factory.HipChat.NotificationsSaying(room, $"echo {failing}").Should().ContainSingle("the retried webhook was handled once");

        var keep = await VerbAsync("purge", "--older-than", "14d");
        var purge = await VerbAsync("purge", "--older-than=0s");

        keep.ExitCode.Should().Be(0, keep.Error);
        keep.Output.Should().Contain("Purged 0 dead letter(s)");
        purge.ExitCode.Should().Be(0, purge.Error);
        purge.Output.Should().Contain("Purged 1 dead letter(s)", "only the second refused call was left");
        (await factory.DeadLetteredAsync(installation.OAuthId)).Should().Be(0);
    }

    [Theory]
    [InlineData(1, "no dead letter has id", "retry", "call:987654321")]
    [InlineData(1, "no dead letter has id", "retry", "webhook:987654321")]
    [InlineData(2, "usage", "retry", "987654321")]
    [InlineData(2, "usage", "retry", "letter:1")]
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
