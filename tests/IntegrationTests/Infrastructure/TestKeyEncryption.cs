namespace CleanAddon.IntegrationTests.Infrastructure;

/// <summary>
/// The key-encryption certificate of the add-ons a test run starts: in a temporary folder of the run's own, never the
/// user's default, and one for all, so that instances sharing a database share it too, as in production.
/// </summary>
public static class TestKeyEncryption
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"cleanaddon-tests-{Guid.NewGuid():N}");

    static TestKeyEncryption() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    };

    public static string CertificatePath { get; } = Path.Combine(Folder, "data-protection.pfx");
}
