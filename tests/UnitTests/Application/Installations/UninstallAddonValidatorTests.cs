using CleanAddon.Application.Installations;
using CleanAddon.UnitTests.Infrastructure.HipChat;

namespace CleanAddon.UnitTests.Application.Installations;

public sealed class UninstallAddonValidatorTests
{
    private static readonly UninstallAddonCommand Valid = new(
        new Uri("https://api.hipchat.com/v2/oauth/client/2f4a1c9e/installable"),
        new Uri("https://api.hipchat.com/addons/manage"));

    private readonly UninstallAddonValidator _validator = new(AllowedHosts.Default);

    [Fact]
    public void An_uninstall_with_both_urls_on_allowed_hosts_is_valid()
    {
        var result = _validator.Validate(Valid);

        result.Errors.Should().BeEmpty();
    }

    [Fact]
    public void A_missing_installable_url_is_invalid()
    {
        var result = _validator.Validate(Valid with { InstallableUrl = null });

        result.Errors.Should().ContainSingle()
            .Which.PropertyName.Should().Be(nameof(UninstallAddonCommand.InstallableUrl));
    }

    [Theory]
    [InlineData("https://evil.example.com/installable")]
    [InlineData("http://api.hipchat.com/v2/oauth/client/2f4a1c9e/installable")]
    [InlineData("/v2/oauth/client/2f4a1c9e/installable")]
    public void An_installable_url_off_the_allow_list_is_invalid(string url)
    {
        var result = _validator.Validate(Valid with { InstallableUrl = new Uri(url, UriKind.RelativeOrAbsolute) });

        result.Errors.Should().ContainSingle()
            .Which.PropertyName.Should().Be(nameof(UninstallAddonCommand.InstallableUrl));
    }

    [Fact]
    public void A_missing_redirect_url_is_invalid()
    {
        var result = _validator.Validate(Valid with { RedirectUrl = null });

        result.Errors.Should().ContainSingle()
            .Which.PropertyName.Should().Be(nameof(UninstallAddonCommand.RedirectUrl));
    }

    [Theory]
    [InlineData("https://evil.example.com/phish")]
    [InlineData("https://api.hipchat.com@evil.example.com/phish")]
    [InlineData("http://api.hipchat.com/addons/manage")]
    public void A_redirect_off_the_allow_list_is_invalid_so_the_add_on_is_no_open_redirect(string url)
    {
        var result = _validator.Validate(Valid with { RedirectUrl = new Uri(url) });

        result.Errors.Should().ContainSingle()
            .Which.PropertyName.Should().Be(nameof(UninstallAddonCommand.RedirectUrl));
    }
}
