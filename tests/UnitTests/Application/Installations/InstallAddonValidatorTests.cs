using System.Globalization;
using CleanAddon.Application.Installations;
using CleanAddon.Domain.Installations;
using CleanAddon.UnitTests.Infrastructure.HipChat;

namespace CleanAddon.UnitTests.Application.Installations;

public sealed class InstallAddonValidatorTests
{
    private static readonly InstallAddonCommand Valid = new(
        "2f4a1c9e-oauth_id.1", "s3cr3t", new Uri("https://api.hipchat.com/v2/capabilities"), GroupId: 7, RoomId: 42);

    private readonly InstallAddonValidator _validator = new(AllowedHosts.Default);

    [Fact]
    public void The_command_never_prints_its_secret_so_logging_it_cannot_leak_it()
    {
        var printed = Valid.ToString();

        printed.Should().NotContain("s3cr3t").And.Contain("2f4a1c9e-oauth_id.1").And.Contain("RoomId = 42");
    }

    [Fact]
    public void A_room_install_from_an_allowed_host_is_valid()
    {
        var result = _validator.Validate(Valid);

        result.Errors.Should().BeEmpty();
    }

    [Fact]
    public void A_global_install_is_valid()
    {
        var result = _validator.Validate(Valid with { RoomId = null });

        result.Errors.Should().BeEmpty();
    }

    [Fact]
    public void An_install_from_the_loopback_emulator_over_http_is_valid()
    {
        var emulator = new Uri("http://localhost:5123/capabilities");

        var result = _validator.Validate(Valid with { CapabilitiesUrl = emulator });

        result.Errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("oauth id")]
    [InlineData("oauth/id")]
    [InlineData("oauth%00")]
    [InlineData("ünïcode")]
    [InlineData("abc\n")]
    public void An_oauth_id_that_is_empty_or_holds_other_characters_is_invalid(string oAuthId)
    {
        var result = _validator.Validate(Valid with { OAuthId = oAuthId });

        result.Errors.Select(e => e.PropertyName).Should().OnlyContain(p => p == nameof(InstallAddonCommand.OAuthId))
            .And.NotBeEmpty();
    }

    [Fact]
    public void An_oauth_id_longer_than_the_column_is_invalid()
    {
        var longest = Valid with { OAuthId = new string('a', Installation.OAuthIdMaxLength) };
        var tooLong = Valid with { OAuthId = new string('a', Installation.OAuthIdMaxLength + 1) };

        _validator.Validate(longest).Errors.Should().BeEmpty();
        _validator.Validate(tooLong).Errors.Should().ContainSingle()
            .Which.PropertyName.Should().Be(nameof(InstallAddonCommand.OAuthId));
    }

    [Fact]
    public void An_empty_oauth_secret_is_invalid()
    {
        var result = _validator.Validate(Valid with { OAuthSecret = "" });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be(nameof(InstallAddonCommand.OAuthSecret));
    }

    [Fact]
    public void An_oauth_secret_longer_than_the_domain_allows_is_invalid()
    {
        var longest = Valid with { OAuthSecret = new string('s', Installation.OAuthSecretMaxLength) };
        var tooLong = Valid with { OAuthSecret = new string('s', Installation.OAuthSecretMaxLength + 1) };

        _validator.Validate(longest).Errors.Should().BeEmpty();
        _validator.Validate(tooLong).Errors.Should().ContainSingle()
            .Which.PropertyName.Should().Be(nameof(InstallAddonCommand.OAuthSecret));
    }

    [Fact]
    public void A_missing_capabilities_url_is_invalid()
    {
        var result = _validator.Validate(Valid with { CapabilitiesUrl = null });

        result.Errors.Should().ContainSingle()
            .Which.PropertyName.Should().Be(nameof(InstallAddonCommand.CapabilitiesUrl));
    }

    [Theory]
    [InlineData("/v2/capabilities")]
    [InlineData("http://api.hipchat.com/v2/capabilities")]
    [InlineData("https://evil.example.com/v2/capabilities")]
    [InlineData("https://api.hipchat.com@evil.example.com/v2/capabilities")]
    [InlineData("http://127.0.0.1/v2/capabilities")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public void A_capabilities_url_off_the_allow_list_is_invalid(string url)
    {
        var result = _validator.Validate(Valid with { CapabilitiesUrl = new Uri(url, UriKind.RelativeOrAbsolute) });

        result.Errors.Select(e => e.PropertyName).Should().NotBeEmpty()
            .And.OnlyContain(p => p == nameof(InstallAddonCommand.CapabilitiesUrl));
    }

    [Fact]
    public void A_capabilities_url_longer_than_the_column_is_invalid()
    {
        const string prefix = "https://api.hipchat.com/v2/capabilities?pad=";
        var longest = new Uri(prefix + new string('x', Installation.UrlMaxLength - prefix.Length));
        var tooLong = new Uri(prefix + new string('x', Installation.UrlMaxLength + 1 - prefix.Length));

        _validator.Validate(Valid with { CapabilitiesUrl = longest }).Errors.Should().BeEmpty();
        _validator.Validate(Valid with { CapabilitiesUrl = tooLong }).Errors.Should().ContainSingle()
            .Which.ErrorMessage.Should().Contain(Installation.UrlMaxLength.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_group_id_that_is_not_positive_is_invalid(long groupId)
    {
        var result = _validator.Validate(Valid with { GroupId = groupId });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be(nameof(InstallAddonCommand.GroupId));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_room_id_that_is_not_positive_is_invalid(long roomId)
    {
        var result = _validator.Validate(Valid with { RoomId = roomId });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be(nameof(InstallAddonCommand.RoomId));
    }
}
