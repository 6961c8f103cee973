using System.Net.Http.Headers;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Security;

public abstract class LogSecrecyTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_secret_token_or_jwt_reaches_the_logs_over_a_whole_lifecycle()
    {
        var installation = factory.HipChat.CreateInstallation(roomId: 31);
        var wrongSecret = installation with { OAuthSecret = "attempted-secret-that-must-not-be-logged" };
        await _client.InstallAsync(wrongSecret);
        await _client.InstallAsync(installation);
        var webhookJwt = HipChatServer.SignJwt(installation, 31);
        await _client.SendRoomMessageAsync(installation, 31, "log me not", webhookJwt);
        var sent = await factory.HipChat.WaitForDeliveryAsync(31, "echo log me not");
        var glanceJwt = HipChatServer.SignJwt(installation, 31);
        await _client.GetAsync($"{AddonClient.Glance}?signed_request={glanceJwt}", Cancellation);
        using var forged = new HttpRequestMessage(HttpMethod.Get, AddonClient.Glance);
        forged.Headers.Authorization = new AuthenticationHeaderValue("JWT", glanceJwt[..^4] + "AAAA");
        await _client.SendAsync(forged, Cancellation);
        await _client.UninstallAsync(factory.HipChat, installation.OAuthId);

        string[] secrets =
        [
            installation.OAuthSecret,
            wrongSecret.OAuthSecret,
            sent[0].Authorization!["Bearer ".Length..],
            webhookJwt,
            webhookJwt.Split('.')[2],
            glanceJwt.Split('.')[2],
        ];
        factory.Logs.Entries.Should().NotBeEmpty();
        factory.Logs.Entries.Where(entry => secrets.Any(secret => entry.Contains(secret, StringComparison.Ordinal)))
            .Should().BeEmpty();
    }

    [Fact]
    public async Task A_refused_jwt_is_logged_with_its_reason_at_debug_only_and_never_the_token()
    {
        var stranger = factory.HipChat.CreateInstallation(roomId: 32);
        var jwt = HipChatServer.SignJwt(stranger, 32);

        var response = await _client.SendRoomMessageAsync(stranger, 32, "who am I", jwt);

        await response.ShouldBeProblemAsync(System.Net.HttpStatusCode.Unauthorized, "unauthorized");
        var reasons = factory.Logs.Entries.Where(entry => entry.Contains("issuer is not an installation", StringComparison.Ordinal));
        reasons.Should().NotBeEmpty().And.OnlyContain(entry => entry.StartsWith("Debug ", StringComparison.Ordinal));
        factory.Logs.Entries.Should().NotContain(entry => entry.Contains(jwt.Split('.')[2], StringComparison.Ordinal));
    }

    /// <summary>Every category at Trace, whatever appsettings.json says, so only the code's own filters protect secrets.</summary>
    public sealed class VerboseAddonFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http"] = "Trace",
        };
    }
}

public sealed class PostgresLogSecrecyTests(LogSecrecyTests.VerboseAddonFactory<Postgres> factory)
    : LogSecrecyTests(factory), IClassFixture<LogSecrecyTests.VerboseAddonFactory<Postgres>>;

public sealed class SqliteLogSecrecyTests(LogSecrecyTests.VerboseAddonFactory<Sqlite> factory)
    : LogSecrecyTests(factory), IClassFixture<LogSecrecyTests.VerboseAddonFactory<Sqlite>>;
