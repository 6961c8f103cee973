using CleanAddon.Api;
using CleanAddon.Api.Capabilities;
using CleanAddon.Application.Extensibility;
using CleanAddon.IntegrationTests.TestAddon;
using Microsoft.AspNetCore.Builder;

namespace CleanAddon.IntegrationTests.Pages;

/// <summary>
/// Declarations only the host can check, refused where Program.cs maps the capabilities, before the add-on listens,
/// with the one line an operator reads (<c>CleanAddon cannot start: …</c>).
/// </summary>
public sealed class PageDeclarationTests
{
    [Fact]
    public async Task A_view_type_that_is_not_a_component_stops_start_up_with_one_line_naming_it()
    {
        var reason = await StartUpFailureAsync(addon => addon.WebPanel(typeof(TallyAction), "not-a-view", "Not a view"));

        reason.Should().Be(
            $"The add-on capability 'not-a-view' cannot be declared: its view {typeof(TallyAction).FullName} is not a "
            + "Razor component (a concrete IComponent).");
    }

    [Theory]
    [InlineData("webhooks/mine")]
    [InlineData("pages")]
    [InlineData("JS/app.js")]
    public async Task A_page_action_on_a_framework_path_stops_start_up_with_one_line_naming_it(string path)
    {
        var reason = await StartUpFailureAsync(addon => addon.PageAction<TallyForm>(HttpMethod.Post, path, (_, _) => { }));

        reason.Should().StartWith($"The add-on capability '{path}' cannot be declared:").And.Contain("framework's routes")
            .And.NotContain("\n");
    }

    private static async Task<string?> StartUpFailureAsync(Action<AddonModulesBuilder> declare)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddAddonModules(declare);
        await using var app = builder.Build();

        var map = () => app.MapCapabilities();

        var refused = map.Should().Throw<AddonDeclarationException>().Which;
        return StartupFailure.Describe(refused);
    }
}
