using CleanAddon.Application.Abstractions;
using CleanAddon.Domain.Installations;
using CleanAddon.HipChatEmulator;
using CleanAddon.Infrastructure.Security;
using Microsoft.Extensions.Time.Testing;

namespace CleanAddon.UnitTests.Infrastructure.Security;

/// <summary>A token HipChat clients send again is remembered once verified, and never outlives what made it valid.</summary>
public sealed class HipChatJwtValidatorTests
{
    private const long Room = 42;

    // HipChat's OAuth secrets are 40 characters: long enough for an HS256 key.
    private const string FirstSecret = "first-secret-of-forty-characters-000000";
    private const string SecondSecret = "second-secret-of-forty-characters-00000";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly Directory _directory = new(Snapshot(FirstSecret));

    private HipChatJwtValidator Validator => new(_directory, _clock);

    [Fact]
    public async Task A_remembered_token_speaks_for_the_same_caller_each_time()
    {
        var validator = Validator;
        var token = Sign(FirstSecret, TimeSpan.FromMinutes(5));

        var first = await validator.ValidateAsync(token, remember: true, CancellationToken.None);
        var again = await validator.ValidateAsync(token, remember: true, CancellationToken.None);

        first.Caller.Should().Be(new HipChatCaller("oauth-1", "7", Room));
        again.Should().BeEquivalentTo(first);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expired_beyond_the_clock_skew()
    {
        var validator = Validator;
        var token = Sign(FirstSecret, TimeSpan.FromMinutes(5));
        (await validator.ValidateAsync(token, remember: true, CancellationToken.None)).Caller.Should().NotBeNull();

        _clock.Advance(TimeSpan.FromMinutes(5) + HipChatJwtValidator.ClockSkew - TimeSpan.FromSeconds(1));
        var justBefore = await validator.ValidateAsync(token, remember: true, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var after = await validator.ValidateAsync(token, remember: true, CancellationToken.None);

        justBefore.Caller.Should().NotBeNull();
        after.Caller.Should().BeNull();
        after.Failure.Should().Be("The JWT has expired or carries no expiry.");
    }

    [Fact]
    public async Task A_remembered_token_is_verified_afresh_once_its_installation_was_installed_again_with_a_new_secret()
    {
        var validator = Validator;
        var token = Sign(FirstSecret, TimeSpan.FromMinutes(5));
        (await validator.ValidateAsync(token, remember: true, CancellationToken.None)).Caller.Should().NotBeNull();

        _directory.Installation = Snapshot(SecondSecret);
        var afterReinstall = await validator.ValidateAsync(token, remember: true, CancellationToken.None);

        afterReinstall.Failure.Should().Be("The JWT's signature does not verify.");
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_its_installation_was_revoked_or_removed()
    {
        var validator = Validator;
        var token = Sign(FirstSecret, TimeSpan.FromMinutes(5));
        (await validator.ValidateAsync(token, remember: true, CancellationToken.None)).Caller.Should().NotBeNull();

        _directory.Installation = Snapshot(FirstSecret) with { IsRevoked = true };
        var revoked = await validator.ValidateAsync(token, remember: true, CancellationToken.None);
        _directory.Installation = null;
        var removed = await validator.ValidateAsync(token, remember: true, CancellationToken.None);

        revoked.Failure.Should().Be("The JWT's installation was revoked by HipChat.");
        removed.Failure.Should().Be("The JWT's issuer is not an installation of this add-on.");
    }

    private static InstallationSnapshot Snapshot(string secret) => new(
        "oauth-1",
        secret,
        GroupId: 1,
        RoomId: null,
        new HipChatEndpoints(
            new Uri("https://hipchat.example/v2/capabilities"),
            new Uri("https://hipchat.example/v2/oauth/token"),
            new Uri("https://hipchat.example/v2/")),
        new Uri("https://hipchat.example/"),
        IsRevoked: false,
        new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    // As HipChat signs them: the room in context.room_id, the user in sub.
    private string Sign(string secret, TimeSpan lifetime) =>
        HipChatJwt.Sign(HipChatJwt.Header(), HipChatJwt.Payload("oauth-1", "7", Room, _clock.GetUtcNow(), lifetime), secret);

    private sealed class Directory(InstallationSnapshot? installation) : IInstallationDirectory
    {
        public InstallationSnapshot? Installation { get; set; } = installation;

        public ValueTask<InstallationSnapshot?> FindAsync(string oAuthId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Installation?.OAuthId == oAuthId ? Installation : null);
    }
}
