using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;
using CleanAddon.Application.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.UnitTests.Application.Extensibility;

public sealed class AddonModulesTests
{
    private readonly ServiceCollection _services = new();

    [Fact]
    public void A_declared_webhook_takes_its_event_from_the_handlers_event_type_and_its_handler_is_registered()
    {
        var modules = Declare(addon => addon.Webhook<EnterHandler>("welcome", name: "Welcome"));

        var webhook = modules.Webhook("welcome")!;
        webhook.Event.Should().Be("room_enter");
        webhook.EventType.Should().Be<RoomEnterEvent>();
        webhook.Immediate.Should().BeFalse();
        _services.Should().Contain(d => d.ServiceType == typeof(EnterHandler) && d.Lifetime == ServiceLifetime.Scoped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/key")]
    [InlineData("ünïcode")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a-key-that-is-longer-than-forty-characters")]
    public void A_key_HipChat_would_refuse_or_that_escapes_its_url_is_refused_naming_it(string key)
    {
        var declare = () => Declare(addon => addon.Webhook<EnterHandler>(key));

        declare.Should().Throw<AddonDeclarationException>().WithMessage($"*'{key}'*");
    }

    [Fact]
    public void Two_capabilities_with_one_key_are_refused_whatever_their_kinds()
    {
        var declare = () => Declare(addon => addon.Webhook<EnterHandler>("same").Glance<CountGlance>("SAME", "Count"));

        declare.Should().Throw<AddonDeclarationException>().WithMessage("*'SAME'*another capability*");
    }

    [Fact]
    public void A_pattern_that_does_not_compile_is_refused_naming_the_webhook()
    {
        var declare = () => Declare(addon => addon.Webhook<EnterHandler>("broken", pattern: "(unclosed"));

        declare.Should().Throw<AddonDeclarationException>().WithMessage("*'broken'*pattern does not compile*");
    }

    [Fact]
    public void A_pattern_is_compiled_once_with_a_match_timeout()
    {
        var modules = Declare(addon => addon.Webhook<EnterHandler>("patterned", pattern: "^/echo"));

        var pattern = modules.Webhook("patterned")!.Pattern!;
        pattern.MatchTimeout.Should().Be(AddonModules.PatternTimeout);
        pattern.IsMatch("/echo hi").Should().BeTrue();
        pattern.IsMatch("hi /echo").Should().BeFalse();
    }

    [Fact]
    public void A_name_longer_than_hipchat_allows_is_refused()
    {
        var declare = () => Declare(addon => addon.Glance<CountGlance>("long-name", new string('n', 101)));

        declare.Should().Throw<AddonDeclarationException>().WithMessage("*'long-name'*name*");
    }

    [Fact]
    public void A_glance_whose_target_is_not_a_declared_view_fails_validation()
    {
        var modules = Declare(addon => addon.Glance<CountGlance>("count", "Count", target: "missing-panel"));

        var validate = modules.Validate;

        validate.Should().Throw<AddonDeclarationException>().WithMessage("*'count'*'missing-panel'*");
    }

    [Fact]
    public void An_action_targeting_a_declared_dialog_validates()
    {
        var modules = Declare(addon => addon
            .Dialog(typeof(Page), "details", "Details")
            .Action("show-details", "Show details", ActionLocation.MessageAction, "details"));

        var validate = modules.Validate;

        validate.Should().NotThrow();
        modules.Actions.Should().ContainSingle().Which.Target.Should().Be("details");
    }

    [Fact]
    public void A_second_configure_page_is_refused()
    {
        var declare = () => Declare(addon => addon.Configurable(typeof(Page), "configure").Configurable(typeof(Page), "configure-again"));

        declare.Should().Throw<AddonDeclarationException>().WithMessage("*'configure-again'*one configure page*");
    }

    [Fact]
    public void Declarations_made_in_several_calls_add_up_in_one_catalog()
    {
        _services.AddAddonModules(addon => addon.Webhook<EnterHandler>("first"));

        var modules = Declare(addon => addon.Glance<CountGlance>("second", "Second"));

        modules.Webhooks.Should().ContainSingle();
        modules.Glances.Should().ContainSingle();
    }

    private AddonModules Declare(Action<AddonModulesBuilder> declare)
    {
        _services.AddAddonModules(declare);
        return (AddonModules)_services.Single(d => d.ServiceType == typeof(AddonModules)).ImplementationInstance!;
    }

    private sealed class EnterHandler : IWebhookHandler<RoomEnterEvent>
    {
        public ValueTask HandleAsync(RoomEnterEvent webhook, WebhookContext context, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }

    private sealed class CountGlance : IGlanceHandler
    {
        public ValueTask<GlanceContent> GetAsync(GlanceContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new GlanceContent(new GlanceLabel("1")));
    }

    /// <summary>Application takes any type as a view; the host checks that it is a component.</summary>
    private sealed class Page;
}
