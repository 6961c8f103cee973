using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.HipChat;

/// <summary>
/// TLS server validation for calls to HipChat: the system's trust as usual, plus, for a host named in
/// <c>HipChat:TrustedCertificates</c>, the CA certificates configured for it (a HipChat Server with a private CA).
/// Validation is never switched off: the host name must match and the chain must end at one of those CAs.
/// </summary>
internal sealed class HipChatCertificateValidator
{
    private readonly Dictionary<string, X509Certificate2Collection> _authorities;

    public HipChatCertificateValidator(IOptions<HipChatOptions> options)
        : this(options.Value.TrustedCertificates.ToDictionary(entry => entry.Key, entry => LoadPem(entry.Value)))
    {
    }

    public HipChatCertificateValidator(IReadOnlyDictionary<string, X509Certificate2Collection> authorities) =>
        _authorities = new(authorities, StringComparer.OrdinalIgnoreCase);

    /// <summary>The certificates of a PEM file; throws when it holds none.</summary>
    public static X509Certificate2Collection LoadPem(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates.Count > 0
            ? certificates
            : throw new CryptographicException($"'{path}' holds no PEM certificate.");
    }

    /// <summary>For start-up validation: every configured file is readable and holds a certificate.</summary>
    public static bool CanLoad(IDictionary<string, string> trustedCertificates)
    {
        foreach (var (host, path) in trustedCertificates)
        {
            try
            {
                if (string.IsNullOrWhiteSpace(host))
                {
                    return false;
                }

                LoadPem(path);
            }
            catch (Exception exception) when (exception is CryptographicException or IOException
                or UnauthorizedAccessException or ArgumentException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/>; SslStream passes itself as the sender.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        Validate((sender as SslStream)?.TargetHostName, certificate, chain, errors);

    public bool Validate(string? host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted chain can be rescued by a configured CA; a wrong name or no certificate never is.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || host is null
            || !_authorities.TryGetValue(host, out var authorities))
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);

        // As SslStream checks by default; private CAs seldom publish revocation lists the add-on could reach.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var element in chain?.ChainElements.Skip(1) ?? [])
        {
            custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        return custom.Build(leaf);
    }
}
