using CleanAddon.Domain;
using CleanAddon.Domain.Installations;

namespace CleanAddon.UnitTests.Domain.Installations;

public sealed class HipChatEndpointsTests
{
    private static readonly Uri Capabilities = new("https://api.hipchat.com/v2/capabilities");
    private static readonly Uri Token = new("https://api.hipchat.com/v2/oauth/token");
    private static readonly Uri Api = new("https://api.hipchat.com/v2/");

    [Theory]
    [InlineData("/v2/capabilities")]
    [InlineData("ftp://api.hipchat.com/v2/capabilities")]
    [InlineData("file:///etc/passwd")]
    public void A_capabilities_url_that_is_not_absolute_http_is_refused(string url)
    {
        var create = () => new HipChatEndpoints(new Uri(url, UriKind.RelativeOrAbsolute), Token, Api);

        create.Should().Throw<DomainRuleException>().WithMessage("*capabilities URL*absolute http(s)*");
    }

    [Theory]
    [InlineData("/v2/oauth/token")]
    [InlineData("ftp://api.hipchat.com/v2/oauth/token")]
    public void A_token_url_that_is_not_absolute_http_is_refused(string url)
    {
        var create = () => new HipChatEndpoints(Capabilities, new Uri(url, UriKind.RelativeOrAbsolute), Api);

        create.Should().Throw<DomainRuleException>().WithMessage("*token URL*absolute http(s)*");
    }

    [Theory]
    [InlineData("/v2/")]
    [InlineData("ftp://api.hipchat.com/v2/")]
    public void An_api_url_that_is_not_absolute_http_is_refused(string url)
    {
        var create = () => new HipChatEndpoints(Capabilities, Token, new Uri(url, UriKind.RelativeOrAbsolute));

        create.Should().Throw<DomainRuleException>().WithMessage("*API URL*absolute http(s)*");
    }

    [Fact]
    public void Plain_http_endpoints_of_a_hipchat_server_are_accepted()
    {
        var endpoints = new HipChatEndpoints(
            new Uri("http://localhost:5000/v2/capabilities"),
            new Uri("http://localhost:5000/v2/oauth/token"),
            new Uri("http://localhost:5000/v2/"));

        endpoints.CapabilitiesUrl.Should().Be(new Uri("http://localhost:5000/v2/capabilities"));
        endpoints.TokenUrl.Should().Be(new Uri("http://localhost:5000/v2/oauth/token"));
        endpoints.ApiBaseUrl.Should().Be(new Uri("http://localhost:5000/v2/"));
    }

    [Fact]
    public void An_api_url_without_a_trailing_slash_gets_one()
    {
        var endpoints = new HipChatEndpoints(Capabilities, Token, new Uri("https://api.hipchat.com/v2"));

        endpoints.ApiBaseUrl.AbsoluteUri.Should().Be("https://api.hipchat.com/v2/");
        new Uri(endpoints.ApiBaseUrl, "room/42/notification").AbsoluteUri
            .Should().Be("https://api.hipchat.com/v2/room/42/notification");
    }

    [Fact]
    public void An_api_url_with_doubled_trailing_slashes_keeps_exactly_one()
    {
        var endpoints = new HipChatEndpoints(Capabilities, Token, new Uri("https://api.hipchat.com/v2//"));

        endpoints.ApiBaseUrl.AbsoluteUri.Should().Be("https://api.hipchat.com/v2/");
    }

    [Fact]
    public void An_api_url_that_outgrows_the_column_once_its_slash_is_added_is_refused()
    {
        var prefix = "https://api.hipchat.com/";
        var longest = new Uri(prefix + new string('v', Installation.UrlMaxLength - prefix.Length));

        var create = () => new HipChatEndpoints(Capabilities, Token, longest);

        create.Should().Throw<DomainRuleException>().WithMessage("*API URL*longer than*");
    }

    [Fact]
    public void An_api_url_with_a_trailing_slash_is_kept_as_it_is()
    {
        var endpoints = new HipChatEndpoints(Capabilities, Token, new Uri("https://api.hipchat.com/v2/"));

        endpoints.ApiBaseUrl.AbsoluteUri.Should().Be("https://api.hipchat.com/v2/");
    }

    [Fact]
    public void Capabilities_and_token_urls_are_kept_as_they_are()
    {
        var endpoints = new HipChatEndpoints(Capabilities, Token, Api);

        endpoints.CapabilitiesUrl.AbsoluteUri.Should().Be("https://api.hipchat.com/v2/capabilities");
        endpoints.TokenUrl.AbsoluteUri.Should().Be("https://api.hipchat.com/v2/oauth/token");
    }

    [Fact]
    public void A_url_of_the_maximum_length_is_accepted_and_one_longer_is_refused()
    {
        var longest = OfLength(Installation.UrlMaxLength);
        var tooLong = OfLength(Installation.UrlMaxLength + 1);

        var endpoints = new HipChatEndpoints(longest, Token, Api);
        var create = () => new HipChatEndpoints(tooLong, Token, Api);

        endpoints.CapabilitiesUrl.Should().Be(longest);
        create.Should().Throw<DomainRuleException>().WithMessage($"*capabilities URL*{Installation.UrlMaxLength}*");
    }

    [Fact]
    public void An_over_long_token_url_is_refused()
    {
        var create = () => new HipChatEndpoints(Capabilities, OfLength(Installation.UrlMaxLength + 1), Api);

        create.Should().Throw<DomainRuleException>().WithMessage("*token URL*");
    }

    private static Uri OfLength(int length)
    {
        const string origin = "https://api.hipchat.com/v2/capabilities?pad=";
        return new Uri(origin + new string('x', length - origin.Length));
    }
}
