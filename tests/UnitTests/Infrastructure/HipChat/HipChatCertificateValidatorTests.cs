using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CleanAddon.Infrastructure.HipChat;
using Microsoft.Extensions.Options;

namespace CleanAddon.UnitTests.Infrastructure.HipChat;

public sealed class HipChatCertificateValidatorTests : IDisposable
{
    private const string Host = "hipchat.example.com";
    private readonly X509Certificate2 _authority = TestCertificates.Authority();
    private readonly List<string> _files = [];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public void A_certificate_the_system_trusts_needs_no_configuration()
    {
        var validator = Trusting();

        validator.Validate(Host, Certificate(), chain: null, SslPolicyErrors.None).Should().BeTrue();
    }

    [Fact]
    public void A_certificate_issued_by_the_ca_configured_for_its_host_is_trusted()
    {
        var validator = Trusting((Host, _authority));

        var trusted = validator.Validate(Host, Certificate(), chain: null, SslPolicyErrors.RemoteCertificateChainErrors);

        trusted.Should().BeTrue();
    }

    [Fact]
    public void The_host_is_compared_case_insensitively()
    {
        var validator = Trusting((Host, _authority));

        validator.Validate("HipChat.Example.COM", Certificate(), null, SslPolicyErrors.RemoteCertificateChainErrors)
            .Should().BeTrue();
    }

    [Fact]
    public void A_ca_configured_for_one_host_is_not_trusted_for_another()
    {
        var validator = Trusting(("other.example.com", _authority));

        validator.Validate(Host, Certificate(), null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeFalse();
    }

    [Fact]
    public void A_certificate_from_another_ca_is_refused()
    {
        using var impostor = TestCertificates.Authority("Impostor CA");
        var validator = Trusting((Host, _authority));

        var trusted = validator.Validate(
            Host, TestCertificates.Server(impostor, Host), null, SslPolicyErrors.RemoteCertificateChainErrors);

        trusted.Should().BeFalse();
    }

    [Theory]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors)]
    [InlineData(SslPolicyErrors.RemoteCertificateNotAvailable)]
    public void A_configured_ca_never_excuses_a_wrong_name_or_a_missing_certificate(SslPolicyErrors errors)
    {
        var validator = Trusting((Host, _authority));

        validator.Validate(Host, Certificate(), null, errors).Should().BeFalse();
    }

    [Fact]
    public void No_certificate_is_refused()
    {
        var validator = Trusting((Host, _authority));

        validator.Validate(Host, certificate: null, null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeFalse();
    }

    [Fact]
    public void An_expired_certificate_from_the_configured_ca_is_refused()
    {
        var expired = TestCertificates.Server(
            _authority, Host, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        var validator = Trusting((Host, _authority));

        validator.Validate(Host, expired, null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeFalse();
    }

    [Fact]
    public void The_configured_cas_are_read_from_pem_files()
    {
        var path = PemFile(_authority.ExportCertificatePem());
        var options = new HipChatOptions();
        options.TrustedCertificates[Host] = path;

        var validator = new HipChatCertificateValidator(Options.Create(options));

        validator.Validate(Host, Certificate(), null, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
    }

    [Fact]
    public void Start_up_accepts_no_trusted_certificates_and_readable_pem_files()
    {
        var none = new Dictionary<string, string>();
        var one = new Dictionary<string, string> { [Host] = PemFile(_authority.ExportCertificatePem()) };

        HipChatCertificateValidator.CanLoad(none).Should().BeTrue();
        HipChatCertificateValidator.CanLoad(one).Should().BeTrue();
    }

    [Fact]
    public void Start_up_refuses_a_missing_file_or_one_without_a_certificate()
    {
        var missing = new Dictionary<string, string> { [Host] = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".pem") };
        var empty = new Dictionary<string, string> { [Host] = PemFile("not a certificate") };

        HipChatCertificateValidator.CanLoad(missing).Should().BeFalse();
        HipChatCertificateValidator.CanLoad(empty).Should().BeFalse();
    }

    [Fact]
    public async Task A_tls_server_with_a_private_ca_is_reached_through_the_hipchat_handler_once_its_ca_is_configured()
    {
        using var serverCertificate = TestCertificates.Server(_authority, "localhost");

        var status = await GetThroughHipChatHandlerAsync(serverCertificate, Trusting(("localhost", _authority)));

        status.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task The_same_tls_server_is_refused_through_the_hipchat_handler_without_the_ca()
    {
        using var serverCertificate = TestCertificates.Server(_authority, "localhost");

        var call = () => GetThroughHipChatHandlerAsync(serverCertificate, Trusting());

        (await call.Should().ThrowAsync<HttpRequestException>())
            .WithInnerException<AuthenticationException>();
    }

    public void Dispose()
    {
        _authority.Dispose();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private X509Certificate2 Certificate() => TestCertificates.Server(_authority, Host);

    private static HipChatCertificateValidator Trusting(params (string Host, X509Certificate2 Authority)[] trusted) =>
        new(trusted.ToDictionary(t => t.Host, t => new X509Certificate2Collection(t.Authority)));

    private string PemFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, content);
        _files.Add(path);
        return path;
    }

    /// <summary>One HTTPS GET to a loopback TLS server, through the handler the HipChat HttpClient uses.</summary>
    private static async Task<HttpStatusCode> GetThroughHipChatHandlerAsync(
        X509Certificate2 serverCertificate, HipChatCertificateValidator validator)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = ServeOnceAsync(listener, serverCertificate);
        using var http = new HttpClient(HipChatPrimaryHandler.Create(validator, new HipChatDns()));
        try
        {
            using var response = await http.GetAsync(new Uri($"https://localhost:{port}/v2/room/1"), Cancellation);
            return response.StatusCode;
        }
        finally
        {
            await server;
        }
    }

    private static async Task ServeOnceAsync(TcpListener listener, X509Certificate2 certificate)
    {
        using var client = await listener.AcceptTcpClientAsync(Cancellation);
        await using var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = certificate }, Cancellation);
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await tls.ReadAsync(buffer, Cancellation);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            await tls.WriteAsync("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), Cancellation);
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            // The client refused the certificate and hung up: what the refusing test expects.
        }
    }
}
