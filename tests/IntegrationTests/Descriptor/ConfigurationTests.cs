using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Descriptor;

/// <summary>The runtime contract's configuration, as an operator sets it: appsettings &lt; environment &lt; command line.</summary>
public sealed class ConfigurationTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Environment_variables_override_appsettings_and_the_command_line_overrides_both()
    {
        var database = Path.Combine(Path.GetTempPath(), $"addon-config-{Guid.NewGuid():N}.db");
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>
            {
                ["Addon__Key"] = "from-environment",
                ["Addon__BaseUrl"] = "https://environment.example.com",
                ["ConnectionStrings__Addon"] = $"Data Source={database}",
            },
            ["--Addon:BaseUrl=https://command-line.example.com"]);

        (await addon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60))).Should().BeTrue(addon.Output);
        using var http = new HttpClient { BaseAddress = addon.Address };
        var descriptor = await http.GetFromJsonAsync<JsonObject>("/capabilities.json", Cancellation);

        descriptor!["key"]!.GetValue<string>().Should().Be("from-environment");
        descriptor["links"]!["self"]!.GetValue<string>().Should().Be("https://command-line.example.com/capabilities.json");
        File.Exists(database).Should().BeTrue("the connection string came from the environment");
    }

    [Fact]
    public async Task The_postgres_provider_is_chosen_case_insensitively_and_migrates_an_empty_database()
    {
        var connectionString = await TestDatabase.CreatePostgresAsync();
        await using var addon = AddonProcess.Start(
            new Dictionary<string, string>
            {
                ["Database__Provider"] = "postgres",
                ["ConnectionStrings__Addon"] = connectionString,
            },
            []);

        (await addon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60))).Should().BeTrue(addon.Output);
    }

    [Theory]
    [InlineData("--Addon:BaseUrl=not-a-url", "Addon:BaseUrl")]
    [InlineData("--Addon:BaseUrl=https://addon.example.com/", "Addon:BaseUrl")]
    [InlineData("--Addon:Key=has spaces", "Addon:Key")]
    [InlineData("--Database:Provider=Oracle", "Database:Provider")]
    [InlineData("--HipChat:AllowedHosts:0=", "HipChat:AllowedHosts")]
    [InlineData("--HipChat:AllowedHosts:1=https://not a host/", "HipChat:AllowedHosts")]
    [InlineData("--Outbox:MaxAttempts=0", "MaxAttempts")]
    [InlineData("--HipChat:TrustedCertificates:hipchat.example.com=/nonexistent/ca.pem", "HipChat:TrustedCertificates")]
    [InlineData("--Outbox:LeaseDuration=00:00:30", "Outbox:LeaseDuration")]
    [InlineData("--DataProtection:CertificatePath=/etc/hostname/data-protection.pfx", "DataProtection:CertificatePath")]
    [InlineData("--Intake:WebhooksPerMinute=0", "WebhooksPerMinute")]
    public async Task A_bad_setting_stops_the_add_on_at_start_up_with_a_message_naming_it(string argument, string named)
    {
        await using var addon = AddonProcess.Start(new Dictionary<string, string>(), [argument]);

        var exitCode = await addon.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().NotBe(0);
        var error = addon.Output.Split('\n').Where(line => line.StartsWith("CleanAddon cannot start:", StringComparison.Ordinal));
        error.Should().ContainSingle().Which.Should().Contain(named);
        addon.Output.Should().NotContain("   at ", "an operator reads one line, not a stack trace");
    }
}
