using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Glances;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.UnitTests.Application.Glances;

public sealed class GetGlanceValidatorTests
{
    private static readonly GlanceDeclaration Glance = new ServiceCollection()
        .AddAddonModules(addon => addon.Glance("count", "Count", (_, _) => ValueTask.FromResult(GlanceContent.Text("1"))))
        .BuildServiceProvider().GetRequiredService<AddonModules>().Glance("count")!;

    private static readonly GetGlanceQuery Valid = new(new HipChatCaller("oauth-1", "1001", 42), Glance);

    private readonly GetGlanceValidator _validator = new();

    [Fact]
    public void A_glance_asked_for_in_a_room_is_valid()
    {
        var result = _validator.Validate(Valid);

        result.Errors.Should().BeEmpty();
    }

    [Fact]
    public void A_glance_asked_for_without_a_room_is_invalid()
    {
        var result = _validator.Validate(Valid with { Caller = Valid.Caller with { RoomId = null } });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be(nameof(GetGlanceQuery.RoomId));
    }
}
