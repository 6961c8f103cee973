using System.Net;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CleanAddon.IntegrationTests.Security;

public sealed class SecretsAtRestTests(AddonApiFactory factory) : IClassFixture<AddonApiFactory>
{
    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_raw_rows_hold_neither_the_oauth_secret_nor_the_access_token_in_plaintext()
    {
        var installation = factory.HipChat.CreateInstallation(roomId: 12);
        await _client.InstallAsync(installation);
        await _client.SendRoomMessageAsync(installation, 12, "token please");
        var sent = await factory.HipChat.WaitForAsync("/room/12/notification", calls => calls.Count >= 1, TimeSpan.FromSeconds(15));
        var accessToken = sent[0].Authorization!["Bearer ".Length..];

        var rawSecret = await RawAsync($"SELECT o_auth_secret AS \"Value\" FROM installations WHERE o_auth_id = {installation.OAuthId}");
        var rawToken = await RawAsync($"SELECT value AS \"Value\" FROM access_tokens WHERE o_auth_id = {installation.OAuthId}");

        rawSecret.Should().NotBeNullOrEmpty().And.NotContain(installation.OAuthSecret);
        rawToken.Should().NotBeNullOrEmpty().And.NotContain(accessToken);
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

    private Task<string?> RawAsync(FormattableString sql) =>
        factory.WithDbAsync(db => db.Database.SqlQuery<string>(sql).SingleOrDefaultAsync(Cancellation));
}
