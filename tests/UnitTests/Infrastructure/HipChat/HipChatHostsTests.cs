using System.Net;
using CleanAddon.Infrastructure.HipChat;

namespace CleanAddon.UnitTests.Infrastructure.HipChat;

public sealed class HipChatHostsTests
{
    [Theory]
    [InlineData("https://api.hipchat.com/v2/capabilities")]
    [InlineData("https://API.HipChat.COM/v2/capabilities")]
    [InlineData("https://api.hipchat.com:8443/v2/capabilities")]
    public void Https_to_an_allowed_host_is_allowed_whatever_its_case_or_port(string url)
    {
        AllowedHosts.Default.IsAllowed(new Uri(url)).Should().BeTrue();
    }

    [Fact]
    public void Configured_hosts_are_compared_case_insensitively()
    {
        var hosts = AllowedHosts.Of("API.HipChat.com");

        hosts.IsAllowed(new Uri("https://api.hipchat.com/v2/")).Should().BeTrue();
    }

    [Fact]
    public void Plain_http_to_a_host_that_is_not_loopback_is_refused()
    {
        AllowedHosts.Default.IsAllowed(new Uri("http://api.hipchat.com/v2/capabilities")).Should().BeFalse();
    }

    [Theory]
    [InlineData("localhost", "http://localhost:5000/capabilities")]
    [InlineData("localhost", "http://LOCALHOST/capabilities")]
    [InlineData("127.0.0.1", "http://127.0.0.1:5000/capabilities")]
    [InlineData("[::1]", "http://[::1]:5000/capabilities")]
    [InlineData("::1", "http://[::1]:5000/capabilities")]
    public void Plain_http_to_a_listed_loopback_host_is_allowed(string listed, string url)
    {
        AllowedHosts.Of(listed).IsAllowed(new Uri(url)).Should().BeTrue();
    }

    [Theory]
    [InlineData("https://evil.example.com/")]
    [InlineData("https://hipchat.com/")]
    [InlineData("https://evil.api.hipchat.com/")]
    [InlineData("https://api.hipchat.com.evil.example.com/")]
    [InlineData("http://127.0.0.1/")]
    public void A_host_that_is_not_listed_is_refused(string url)
    {
        AllowedHosts.Default.IsAllowed(new Uri(url)).Should().BeFalse();
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("https://127.0.0.1/")]
    [InlineData("http://[::1]:5000/")]
    public void Listing_localhost_does_not_allow_loopback_addresses(string url)
    {
        AllowedHosts.Of("localhost").IsAllowed(new Uri(url)).Should().BeFalse();
    }

    [Theory]
    [InlineData("https://api.hipchat.com@evil.example.com/")]
    [InlineData("https://user:password@api.hipchat.com/v2/")]
    [InlineData("http://localhost@evil.example.com/")]
    public void A_url_with_user_info_is_refused(string url)
    {
        AllowedHosts.Default.IsAllowed(new Uri(url)).Should().BeFalse();
    }

    [Fact]
    public void A_relative_url_is_refused()
    {
        AllowedHosts.Default.IsAllowed(new Uri("/v2/capabilities", UriKind.Relative)).Should().BeFalse();
    }

    [Theory]
    [InlineData("ftp://api.hipchat.com/")]
    [InlineData("wss://api.hipchat.com/")]
    [InlineData("ftp://localhost/")]
    public void Schemes_other_than_http_and_https_are_refused(string url)
    {
        AllowedHosts.Default.IsAllowed(new Uri(url)).Should().BeFalse();
    }

    [Theory]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("LOCALHOST", "127.0.0.1")]
    [InlineData("localhost", "::1")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    public void A_loopback_host_may_connect_to_loopback(string host, string address)
    {
        HipChatHosts.MayConnect(host, IPAddress.Parse(address)).Should().BeTrue();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    public void A_named_host_resolving_to_loopback_may_not_connect(string address)
    {
        HipChatHosts.MayConnect("api.hipchat.com", IPAddress.Parse(address)).Should().BeFalse();
    }

    [Fact]
    public void An_ipv4_mapped_loopback_address_counts_as_loopback()
    {
        var mapped = IPAddress.Parse("::ffff:127.0.0.1");

        HipChatHosts.MayConnect("localhost", mapped).Should().BeTrue();
        HipChatHosts.MayConnect("hipchat.example.com", mapped).Should().BeFalse();
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("fe80::a9fe:a9fe%2")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("fd00:ec2::254")]
    [InlineData("100.100.100.200")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("::169.254.169.254")]
    public void Link_local_metadata_and_unspecified_addresses_are_never_connected_to(string address)
    {
        HipChatHosts.MayConnect("api.hipchat.com", IPAddress.Parse(address)).Should().BeFalse();
        HipChatHosts.MayConnect("localhost", IPAddress.Parse(address)).Should().BeFalse();
    }

    [Theory]
    [InlineData("104.192.143.1")]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.4.2")]
    [InlineData("192.168.1.10")]
    [InlineData("2600:1f18::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:10.0.0.5")]
    public void Public_and_private_addresses_may_be_connected_to(string address)
    {
        HipChatHosts.MayConnect("hipchat.example.com", IPAddress.Parse(address)).Should().BeTrue();
    }
}
