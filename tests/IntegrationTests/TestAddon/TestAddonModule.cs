using CleanAddon.Api.Pages;
using CleanAddon.Application.Extensibility;

namespace CleanAddon.IntegrationTests.TestAddon;

/// <summary>
/// The add-on the framework's tests run (<see cref="Infrastructure.AddonApiFactory"/>), declared on the public
/// extension API the way a team's module is, with state of its own (<see cref="RoomTally"/>) in a migration set compiled
/// here (TestAddon/Migrations, generated with <c>bash scripts/add-migration.sh test-addon &lt;Name&gt;
/// tests/IntegrationTests tests/IntegrationTests</c>). It echoes every room message, counts the echoes per room,
/// pushes the count to its glance, shows it in its panel and adds to it by a page action, so that the framework is
/// exercised end to end without the sample add-on.
/// </summary>
public sealed class TestAddonModule : IAddonModule
{
    public const string ModuleName = "test-addon";
    public const string EchoKey = "echo";
    public const string GlanceKey = "test-glance";
    public const string PanelKey = "test-panel";

    /// <summary>The page action adding to the room's tally (<see cref="TallyAction"/>).</summary>
    public const string TallyPath = "tally";

    /// <summary>A message starting with this makes the echo handler change its state, queue its echo, and then throw.</summary>
    public const string FailingPrefix = "fail:";

    public string Name => ModuleName;

    public System.Reflection.Assembly? MigrationsAssembly => typeof(TestAddonModule).Assembly;

    public void Declare(AddonModulesBuilder addon) => addon
        .State<RoomTally, RoomTallyConfiguration>()
        .Webhook<TallyEchoHandler>(EchoKey, pattern: ".*", name: "Echo")
        .Glance<TallyGlance>(GlanceKey, "Echo count", target: PanelKey)
        .WebPanel<TallyPanel>(PanelKey, "Echo tally")
        .Configurable<TallyPanel>()
        .PageAction<TallyAction>(HttpMethod.Post, TallyPath);
}
