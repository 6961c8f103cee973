using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Glances;

namespace CleanAddon.UnitTests.Application.Glances;

public sealed class GetGlanceValidatorTests
{
    private static readonly GetGlanceQuery Valid = new(new HipChatCaller("oauth-1", "1001", 42), "sample-glance", RoomId: 42);

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
        var result = _validator.Validate(Valid with { RoomId = null });

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be(nameof(GetGlanceQuery.RoomId));
    }
}
