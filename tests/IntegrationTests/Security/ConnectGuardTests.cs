using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.IntegrationTests.Security;

/// <summary>
/// The allow-list's last line: a listed name is only a name, so where DNS sends it is checked as the connection is
/// made. A resolver that answers loopback or a cloud metadata address for a listed name gets no connection.
/// </summary>
public abstract class ConnectGuardTests(AddonApiFactory factory, ConnectGuardTests.HostileDns dns)
{
    public const string ListedHost = "hipchat.example.com";

    private readonly HttpClient _client = factory.CreateAddonClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::1")]
    [InlineData("169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    [InlineData("100.100.100.200")]
    public async Task A_listed_name_that_dns_points_at_loopback_or_a_metadata_address_is_never_connected_to(string address)
    {
        using var trap = new TcpListener(IPAddress.Loopback, 0);
        trap.Start();
        dns.Answer(ListedHost, IPAddress.Parse(address));
        var installation = factory.HipChat.CreateInstallation(roomId: 1) with
        {
            CapabilitiesUrl = new Uri($"https://{ListedHost}:{((IPEndPoint)trap.LocalEndpoint).Port}/v2/capabilities"),
        };

        var response = await _client.InstallAsync(installation);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "host-not-allowed");
        dns.Asked.Should().Contain(ListedHost, "the name passed the allow-list and was resolved to connect");
        trap.Pending().Should().BeFalse("nothing may connect where DNS pointed the listed name");
        (await factory.WithStoreAsync(store => store.FindInstallationAsync(installation.OAuthId, Cancellation)))
            .Should().BeNull();
    }

    [Fact]
    public async Task A_listed_loopback_name_resolving_to_loopback_is_connected_to()
    {
        using var trap = new TcpListener(IPAddress.Loopback, 0);
        trap.Start();
        dns.Answer("localhost", IPAddress.Loopback);
        var installation = factory.HipChat.CreateInstallation(roomId: 1) with
        {
            CapabilitiesUrl = new Uri($"http://localhost:{((IPEndPoint)trap.LocalEndpoint).Port}/v2/capabilities"),
        };

        var install = _client.InstallAsync(installation);
        using (var connection = await trap.AcceptSocketAsync(Cancellation))
        {
            connection.Close();
        }

        await (await install).ShouldBeProblemAsync(HttpStatusCode.BadGateway, "hipchat-unavailable");
    }

    /// <summary>DNS as an attacker who controls a listed name's records would answer it; other names resolve as usual.</summary>
    public sealed class HostileDns : HipChatDns
    {
        private readonly ConcurrentDictionary<string, IPAddress[]> _answers = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentQueue<string> _asked = new();

        public IReadOnlyCollection<string> Asked => _asked;

        public void Answer(string host, params IPAddress[] addresses) => _answers[host] = addresses;

        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            _asked.Enqueue(host);
            return _answers.TryGetValue(host, out var addresses)
                ? Task.FromResult(addresses)
                : base.ResolveAsync(host, cancellationToken);
        }
    }

    /// <summary>The add-on with <see cref="ListedHost"/> on its allow-list, resolving names through <see cref="Dns"/>.</summary>
    public sealed class HostileDnsFactory<TDatabase> : AddonApiFactory<TDatabase>
        where TDatabase : ITestDatabase
    {
        public HostileDns Dns { get; } = new();

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["HipChat:AllowedHosts:2"] = ListedHost,
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<HipChatDns>(Dns));
        }
    }
}

public sealed class PostgresConnectGuardTests(ConnectGuardTests.HostileDnsFactory<Postgres> factory)
    : ConnectGuardTests(factory, factory.Dns), IClassFixture<ConnectGuardTests.HostileDnsFactory<Postgres>>;

public sealed class SqliteConnectGuardTests(ConnectGuardTests.HostileDnsFactory<Sqlite> factory)
    : ConnectGuardTests(factory, factory.Dns), IClassFixture<ConnectGuardTests.HostileDnsFactory<Sqlite>>;
