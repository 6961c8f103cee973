using System.Runtime.Versioning;
using CleanAddon.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CleanAddon.UnitTests.Infrastructure.Security;

public sealed class KeyEncryptionCertificateTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cleanaddon-kek-");

    private string CertificatePath => Path.Combine(_folder.FullName, "keys", "data-protection.pfx");

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void A_missing_certificate_is_created_readable_by_its_owner_only_and_loaded_again_on_the_next_start()
    {
        var options = new KeyEncryptionOptions { CertificatePath = CertificatePath, CertificatePassword = "pass" };

        var first = KeyEncryptionCertificate.LoadOrCreate(options);
        var second = KeyEncryptionCertificate.LoadOrCreate(options);

        first.Created.Should().BeTrue();
        first.Certificate.HasPrivateKey.Should().BeTrue();
        File.GetUnixFileMode(CertificatePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.GetDirectoryName(CertificatePath)!)
            .Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        second.Created.Should().BeFalse();
        second.Certificate.Thumbprint.Should().Be(first.Certificate.Thumbprint);
        second.IsReadableByOthers.Should().BeFalse();
    }

    [Fact]
    public void A_certificate_that_cannot_be_read_with_the_configured_password_stops_the_add_on_naming_the_setting()
    {
        KeyEncryptionCertificate.LoadOrCreate(new KeyEncryptionOptions { CertificatePath = CertificatePath, CertificatePassword = "right" });

        var load = () => KeyEncryptionCertificate.LoadOrCreate(
            new KeyEncryptionOptions { CertificatePath = CertificatePath, CertificatePassword = "wrong" });

        load.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("DataProtection:CertificatePath");
    }

    [Fact]
    public void The_default_certificate_path_is_absolute_and_under_the_users_local_application_data()
    {
        var path = KeyEncryptionOptions.DefaultCertificatePath;

        Path.IsPathRooted(path).Should().BeTrue();
        path.Should().StartWith(Environment.GetFolderPath(
            Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify));
        path.Should().EndWith(Path.Combine("CleanAddon", "data-protection.pfx"));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
