using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace CleanAddon.Infrastructure.Security;

/// <summary>
/// Where the key-encryption certificate lives. The Data Protection key ring is stored in the database (so instances
/// share it) but only encrypted with this certificate, which is never stored there: a copy of the database alone
/// decrypts no secret.
/// </summary>
public sealed class KeyEncryptionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>
    /// A PKCS#12 (.pfx) file holding the certificate and its private key. When it does not exist, the add-on creates
    /// a self-signed one there on start. The default lies in the user's local application data, not in the working
    /// directory.
    /// </summary>
    public string CertificatePath { get; set; } = DefaultCertificatePath;

    public string? CertificatePassword { get; set; }

    /// <summary>Certificates replaced by a rotation: they still decrypt the keys they encrypted, and encrypt nothing.</summary>
    public IList<CertificateFile> PreviousCertificates { get; } = [];

    /// <summary>Empty when the user has no home folder: then <see cref="CertificatePath"/> must be set.</summary>
    public static string DefaultCertificatePath =>
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify)
            is { Length: > 0 } folder
            ? Path.Combine(folder, "CleanAddon", "data-protection.pfx")
            : "";
}

public sealed class CertificateFile
{
    public string Path { get; set; } = "";

    public string? Password { get; set; }
}

/// <summary>The key-encryption certificate in use, loaded (or first created) before the services are built.</summary>
internal sealed class KeyEncryptionCertificate
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    private KeyEncryptionCertificate(
        X509Certificate2 certificate, string path, bool created, IReadOnlyList<X509Certificate2> previous)
    {
        Certificate = certificate;
        Path = path;
        Created = created;
        Previous = previous;
    }

    public X509Certificate2 Certificate { get; }

    public string Path { get; }

    /// <summary>True when this start created the certificate: no key ring encrypted with another one can be read.</summary>
    public bool Created { get; }

    public IReadOnlyList<X509Certificate2> Previous { get; }

    /// <summary>Any user may read the file, which opens every secret; its owner and group should be all.</summary>
    public bool IsReadableByOthers =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(Path) & UnixFileMode.OtherRead) != 0;

    /// <summary>
    /// Loads the configured certificate, creating a self-signed one when the file does not exist. A file that cannot
    /// be used stops the add-on with an <see cref="OptionsValidationException"/> naming the setting.
    /// </summary>
    public static KeyEncryptionCertificate LoadOrCreate(KeyEncryptionOptions options)
    {
        if (options.CertificatePath.Length == 0)
        {
            throw Invalid("DataProtection:CertificatePath must be set: this user has no local application data folder.");
        }

        var path = System.IO.Path.GetFullPath(options.CertificatePath);
        var created = !File.Exists(path) && TryCreate(path, options.CertificatePassword);
        var certificate = Load(path, options.CertificatePassword, "DataProtection:CertificatePath");
        var previous = options.PreviousCertificates
            .Select(file => Load(System.IO.Path.GetFullPath(file.Path), file.Password, "DataProtection:PreviousCertificates"))
            .ToList();
        return new KeyEncryptionCertificate(certificate, path, created, previous);
    }

    /// <summary>Writes a new certificate atomically; false when another process wrote one there first.</summary>
    private static bool TryCreate(string path, string? password)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnlyDirectory);
            }

            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var file = new FileStream(temporary, options))
            {
                file.Write(CreateSelfSigned(password));
            }

            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Invalid($"DataProtection:CertificatePath: cannot create '{path}' ({exception.Message}).");
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static byte[] CreateSelfSigned(string? password)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest(
            "CN=CleanAddon Data Protection key encryption", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var now = DateTimeOffset.UtcNow;

        // Data Protection ignores the validity period; a long one spares operators a pointless renewal.
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        return certificate.Export(X509ContentType.Pkcs12, password);
    }

    private static X509Certificate2 Load(string path, string? password, string setting)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw Invalid($"{setting}: '{path}' is not a readable PKCS#12 file for the configured password ({exception.Message}).");
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            certificate.Dispose();
            throw Invalid($"{setting}: '{path}' must hold an RSA certificate with its private key.");
        }

        return certificate;
    }

    private static OptionsValidationException Invalid(string message) =>
        new(KeyEncryptionOptions.SectionName, typeof(KeyEncryptionOptions), [message]);
}
