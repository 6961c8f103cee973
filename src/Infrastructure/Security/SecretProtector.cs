using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CleanAddon.Infrastructure.Security;

/// <summary>
/// Encrypts OAuth secrets and access tokens at rest with ASP.NET Core Data Protection. The key ring lives in the
/// database, so every instance sharing it can read what another wrote.
/// </summary>
internal sealed class SecretProtector
{
    private const string Purpose = "CleanAddon.Secrets.v1";

    public SecretProtector(IDataProtectionProvider provider)
    {
        var protector = provider.CreateProtector(Purpose);
        Protector = protector;
        Converter = new ValueConverter<string, string>(
            plaintext => protector.Protect(plaintext),
            ciphertext => protector.Unprotect(ciphertext));
    }

    public IDataProtector Protector { get; }

    public ValueConverter<string, string> Converter { get; }
}
