using System.Net;
using System.Text;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Security;

public abstract class SecretsAtRestTests(AddonApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_table_holds_the_oauth_secret_or_the_access_token_as_text_base64_or_hex()
    {
        var installation = factory.HipChat.CreateInstallation(roomId: 12);
        await _client.InstallAsync(installation);
        await _client.SendRoomMessageAsync(installation, 12, "token please");
        var sent = await factory.HipChat.WaitForDeliveryAsync(12, "echo token please");
        var accessToken = sent[0].Authorization!["Bearer ".Length..];

        var dump = await TestDatabase.DumpAsync(factory.Provider, factory.ConnectionString);

        dump.Should().Contain(installation.OAuthId, "the dump reads the installation's rows");
        foreach (var form in Forms(installation.OAuthSecret).Concat(Forms(accessToken)))
        {
            dump.Should().NotContainEquivalentOf(form);
        }
    }

    [Fact]
    public async Task Reinstalling_with_proven_credentials_replaces_the_secret_and_the_old_one_stops_working_at_once()
    {
        var first = factory.HipChat.CreateInstallation(roomId: 13);
        await _client.InstallAsync(first);
        var oldJwt = HipChatServer.SignJwt(first, 13);
        var rotated = factory.HipChat.CreateInstallation(roomId: 13) with { OAuthId = first.OAuthId };
        factory.HipChat.RemoveInstallation(first.OAuthId);
        factory.HipChat.Register(rotated);

        (await _client.InstallAsync(rotated)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await _client.SendRoomMessageAsync(first, 13, "old secret", oldJwt)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _client.SendRoomMessageAsync(rotated, 13, "new secret")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_reinstall_with_unproven_credentials_changes_nothing_and_the_installation_keeps_working()
    {
        var genuine = factory.HipChat.CreateInstallation(roomId: 14);
        await _client.InstallAsync(genuine);
        var hijack = genuine with { OAuthSecret = "attacker-chosen-secret-of-good-length" };

        var response = await _client.InstallAsync(hijack);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "hipchat-rejected");
        (await _client.SendRoomMessageAsync(hijack, 14, "forged", HipChatJwt.Sign(
            HipChatJwt.Header(), HipChatJwt.Payload(genuine.OAuthId, "4979430", 14, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
            hijack.OAuthSecret))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _client.SendRoomMessageAsync(genuine, 14, "still mine")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    /// <summary>The secret as written, and encoded the ways a careless store might keep it.</summary>
    private static IEnumerable<string> Forms(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        IEnumerable<byte[]> encodings = [bytes, .. Decoded(secret)];
        return new[] { secret }.Concat(encodings.SelectMany(b => new[]
        {
            Convert.ToBase64String(b), Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            Convert.ToHexString(b),
        })).Distinct();
    }

    /// <summary>The bytes a secret written in base64 (OAuth secrets) or hex (access tokens) stands for.</summary>
    private static IEnumerable<byte[]> Decoded(string secret)
    {
        var buffer = new byte[secret.Length];
        if (Convert.TryFromBase64String(secret, buffer, out var written))
        {
            yield return buffer[..written];
        }

        if (secret.Length % 2 == 0 && secret.All(char.IsAsciiHexDigit))
        {
            yield return Convert.FromHexString(secret);
        }
    }
}

public sealed class PostgresSecretsAtRestTests(AddonApiFactory<Postgres> factory)
    : SecretsAtRestTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteSecretsAtRestTests(AddonApiFactory<Sqlite> factory)
    : SecretsAtRestTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
