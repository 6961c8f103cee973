using Microsoft.Extensions.Logging;

namespace CleanAddon.Infrastructure.Security;

internal static partial class StartupLog
{
    /// <summary>Says once, at start, which certificate guards the key ring: operators must keep and share that file.</summary>
    public static void KeyEncryption(ILogger logger, KeyEncryptionCertificate keyEncryption)
    {
        if (keyEncryption.Created)
        {
            KeyEncryptionCreated(logger, keyEncryption.Path, keyEncryption.Certificate.Thumbprint);
        }
        else
        {
            KeyEncryptionLoaded(logger, keyEncryption.Path, keyEncryption.Certificate.Thumbprint);
        }

        if (keyEncryption.IsReadableByOthers)
        {
            KeyEncryptionExposed(logger, keyEncryption.Path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the certificate that encrypts the Data Protection key ring: {Path} (thumbprint {Thumbprint}). Back it up and give every instance the same one (DataProtection:CertificatePath)")]
    private static partial void KeyEncryptionCreated(ILogger logger, string path, string thumbprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Data Protection key ring is encrypted with the certificate {Path} (thumbprint {Thumbprint})")]
    private static partial void KeyEncryptionLoaded(ILogger logger, string path, string thumbprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The key-encryption certificate {Path} is readable by every user; make it readable by the add-on's user (and group) only")]
    private static partial void KeyEncryptionExposed(ILogger logger, string path);
}
