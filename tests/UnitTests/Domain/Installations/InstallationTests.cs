using CleanAddon.Domain;
using CleanAddon.Domain.Installations;

namespace CleanAddon.UnitTests.Domain.Installations;

public sealed class InstallationTests
{
    private static readonly DateTimeOffset Now = InstallationBuilder.DefaultNow;

    [Fact]
    public void A_new_installation_keeps_its_credentials_endpoints_and_install_time()
    {
        var installation = new InstallationBuilder()
            .WithOAuthId("oauth-1").WithOAuthSecret("secret-1").InGroup(3).InRoom(4).At(Now).Build();

        installation.OAuthId.Should().Be("oauth-1");
        installation.OAuthSecret.Should().Be("secret-1");
        installation.GroupId.Should().Be(3);
        installation.RoomId.Should().Be(4);
        installation.IsGlobal.Should().BeFalse();
        installation.CapabilitiesUrl.Should().Be(TestEndpoints.Cloud.CapabilitiesUrl);
        installation.TokenUrl.Should().Be(TestEndpoints.Cloud.TokenUrl);
        installation.ApiBaseUrl.Should().Be(TestEndpoints.Cloud.ApiBaseUrl);
        installation.InstalledAt.Should().Be(Now);
        installation.UpdatedAt.Should().Be(Now);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_installation_without_an_oauth_id_is_refused(string oAuthId)
    {
        var create = () => new InstallationBuilder().WithOAuthId(oAuthId).Build();

        create.Should().Throw<DomainRuleException>().WithMessage("*OAuth id*");
    }

    [Fact]
    public void An_oauth_id_of_the_maximum_length_is_accepted_and_one_longer_is_refused()
    {
        var longest = new string('a', Installation.OAuthIdMaxLength);

        var installation = new InstallationBuilder().WithOAuthId(longest).Build();
        var tooLong = () => new InstallationBuilder().WithOAuthId(longest + "a").Build();

        installation.OAuthId.Should().Be(longest);
        tooLong.Should().Throw<DomainRuleException>().WithMessage("*OAuth id*");
    }

    [Fact]
    public void An_installation_without_an_oauth_secret_is_refused()
    {
        var create = () => new InstallationBuilder().WithOAuthSecret("").Build();

        create.Should().Throw<DomainRuleException>().WithMessage("*OAuth secret*");
    }

    [Fact]
    public void An_oauth_secret_of_the_maximum_length_is_accepted_and_one_longer_is_refused()
    {
        var longest = new string('s', Installation.OAuthSecretMaxLength);

        var installation = new InstallationBuilder().WithOAuthSecret(longest).Build();
        var tooLong = () => new InstallationBuilder().WithOAuthSecret(longest + "s").Build();

        installation.OAuthSecret.Should().Be(longest);
        tooLong.Should().Throw<DomainRuleException>().WithMessage("*OAuth secret*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void An_installation_in_a_room_without_a_positive_id_is_refused(long roomId)
    {
        var create = () => new InstallationBuilder().InRoom(roomId).Build();

        create.Should().Throw<DomainRuleException>().WithMessage("*room id*");
    }

    [Fact]
    public void An_installation_without_a_room_is_global()
    {
        var installation = new InstallationBuilder().Global().Build();

        installation.RoomId.Should().BeNull();
        installation.IsGlobal.Should().BeTrue();
    }

    [Fact]
    public void A_room_installation_covers_its_own_room_only()
    {
        var installation = new InstallationBuilder().InRoom(42).Build();

        installation.Covers(42).Should().BeTrue();
        installation.Covers(43).Should().BeFalse();
    }

    [Fact]
    public void A_global_installation_covers_every_room()
    {
        var installation = new InstallationBuilder().Global().Build();

        installation.Covers(1).Should().BeTrue();
        installation.Covers(42).Should().BeTrue();
    }

    [Fact]
    public void A_reinstall_replaces_secret_group_room_and_endpoints_but_keeps_the_oauth_id_and_install_time()
    {
        var installation = new InstallationBuilder().WithOAuthId("oauth-1").InGroup(7).InRoom(42).At(Now).Build();
        var later = Now.AddDays(3);

        installation.Reinstall("new-secret", 8, roomId: null, TestEndpoints.CloudMoved, later);

        installation.OAuthId.Should().Be("oauth-1");
        installation.OAuthSecret.Should().Be("new-secret");
        installation.GroupId.Should().Be(8);
        installation.IsGlobal.Should().BeTrue();
        installation.CapabilitiesUrl.Should().Be(TestEndpoints.CloudMoved.CapabilitiesUrl);
        installation.TokenUrl.Should().Be(TestEndpoints.CloudMoved.TokenUrl);
        installation.ApiBaseUrl.Should().Be(TestEndpoints.CloudMoved.ApiBaseUrl);
        installation.InstalledAt.Should().Be(Now);
        installation.UpdatedAt.Should().Be(later);
    }

    [Theory]
    [InlineData("https://api.hipchat.com/v2/capabilities", true)]
    [InlineData("https://API.hipchat.com:443/elsewhere", true)]
    [InlineData("http://api.hipchat.com/v2/capabilities", false)]
    [InlineData("https://api.hipchat.com:8443/v2/capabilities", false)]
    [InlineData("https://hipchat.example.com/v2/capabilities", false)]
    public void An_installation_is_from_the_origin_of_the_capabilities_url_that_created_it(string url, bool from)
    {
        var installation = new InstallationBuilder().WithEndpoints(TestEndpoints.Cloud).Build();

        installation.IsFrom(new Uri(url)).Should().Be(from);
    }

    [Fact]
    public void A_reinstall_from_another_hipchat_is_refused_and_changes_nothing()
    {
        var installation = new InstallationBuilder().WithOAuthSecret("old-secret").At(Now).Build();

        var reinstall = () => installation.Reinstall("attacker-secret", 7, 42, TestEndpoints.Server, Now.AddDays(1));

        reinstall.Should().Throw<DomainRuleException>().WithMessage("*another HipChat*");
        installation.OAuthSecret.Should().Be("old-secret");
        installation.CapabilitiesUrl.Should().Be(TestEndpoints.Cloud.CapabilitiesUrl);
    }

    [Theory]
    [InlineData(43L)]
    [InlineData(null)]
    public void An_update_may_not_move_a_room_installation_nor_widen_it_to_the_group(long? roomId)
    {
        var installation = new InstallationBuilder().InRoom(42).At(Now).Build();

        var update = () => installation.Refresh(roomId, TestEndpoints.Cloud, Now.AddDays(1));

        update.Should().Throw<DomainRuleException>().WithMessage("*room*");
        installation.RoomId.Should().Be(42);
        installation.UpdatedAt.Should().Be(Now);
    }

    [Fact]
    public void An_update_may_not_turn_a_global_installation_into_a_room_one()
    {
        var installation = new InstallationBuilder().Global().Build();

        var update = () => installation.EnsureUpdatable(42, TestEndpoints.Cloud.CapabilitiesUrl);

        update.Should().Throw<DomainRuleException>();
        installation.IsGlobal.Should().BeTrue();
    }

    [Fact]
    public void An_update_takes_new_endpoints_of_its_own_hipchat_but_never_a_new_token_url()
    {
        var installation = new InstallationBuilder().InRoom(42).At(Now).Build();
        var movedApi = new HipChatEndpoints(
            TestEndpoints.Cloud.CapabilitiesUrl, TestEndpoints.Cloud.TokenUrl, new Uri("https://api.hipchat.com/v3/"));

        installation.Refresh(42, movedApi, Now.AddDays(1));
        var moveTokenUrl = () => installation.Refresh(42, TestEndpoints.CloudMoved, Now.AddDays(2));

        installation.ApiBaseUrl.Should().Be(new Uri("https://api.hipchat.com/v3/"));
        installation.UpdatedAt.Should().Be(Now.AddDays(1));
        moveTokenUrl.Should().Throw<DomainRuleException>().WithMessage("*token URL*");
        installation.TokenUrl.Should().Be(TestEndpoints.Cloud.TokenUrl);
    }

    [Fact]
    public void A_reinstall_with_an_invalid_secret_is_refused_and_changes_nothing()
    {
        var installation = new InstallationBuilder().WithOAuthSecret("old-secret").InRoom(42).At(Now).Build();

        var reinstall = () => installation.Reinstall("", 7, 43, TestEndpoints.CloudMoved, Now.AddDays(1));

        reinstall.Should().Throw<DomainRuleException>();
        installation.OAuthSecret.Should().Be("old-secret");
        installation.RoomId.Should().Be(42);
        installation.CapabilitiesUrl.Should().Be(TestEndpoints.Cloud.CapabilitiesUrl);
        installation.UpdatedAt.Should().Be(Now);
    }

    [Fact]
    public void A_reinstall_into_a_room_without_a_positive_id_is_refused()
    {
        var installation = new InstallationBuilder().Build();

        var reinstall = () => installation.Reinstall("new-secret", 7, 0, TestEndpoints.Cloud, Now);

        reinstall.Should().Throw<DomainRuleException>().WithMessage("*room id*");
    }

    [Fact]
    public void A_new_installation_is_not_revoked()
    {
        var installation = new InstallationBuilder().Build();

        installation.IsRevoked.Should().BeFalse();
        installation.RevokedAt.Should().BeNull();
    }

    [Fact]
    public void Revoking_records_when_and_answers_true_only_the_first_time()
    {
        var installation = new InstallationBuilder().At(Now).Build();

        var first = installation.Revoke(Now.AddHours(1));
        var second = installation.Revoke(Now.AddHours(2));

        first.Should().BeTrue();
        second.Should().BeFalse();
        installation.IsRevoked.Should().BeTrue();
        installation.RevokedAt.Should().Be(Now.AddHours(1));
        installation.UpdatedAt.Should().Be(Now.AddHours(1));
    }

    [Fact]
    public void A_reinstall_with_proven_credentials_lifts_a_revocation()
    {
        var installation = new InstallationBuilder().At(Now).Build();
        installation.Revoke(Now.AddHours(1));

        installation.Reinstall("new-secret", 7, 42, TestEndpoints.Cloud, Now.AddHours(2));

        installation.IsRevoked.Should().BeFalse();
        installation.RevokedAt.Should().BeNull();
    }
}
