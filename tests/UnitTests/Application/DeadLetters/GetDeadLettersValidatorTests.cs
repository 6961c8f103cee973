using CleanAddon.Application.DeadLetters;

namespace CleanAddon.UnitTests.Application.DeadLetters;

public sealed class GetDeadLettersValidatorTests
{
    private readonly GetDeadLettersValidator _validator = new();

    [Fact]
    public void Asking_for_the_latest_dead_letters_of_every_installation_is_valid()
    {
        _validator.Validate(new GetDeadLettersQuery()).Errors.Should().BeEmpty();
    }

    [Fact]
    public void Asking_for_one_installation_is_valid()
    {
        _validator.Validate(new GetDeadLettersQuery("oauth-1", 10)).Errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(GetDeadLettersValidator.MaxLimit + 1)]
    public void A_limit_outside_one_to_the_maximum_is_invalid(int limit)
    {
        var result = _validator.Validate(new GetDeadLettersQuery(Limit: limit));

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be(nameof(GetDeadLettersQuery.Limit));
    }

    [Fact]
    public void An_empty_or_overlong_oauth_id_is_invalid()
    {
        _validator.Validate(new GetDeadLettersQuery("")).Errors.Should().ContainSingle();
        _validator.Validate(new GetDeadLettersQuery(new string('o', 65))).Errors.Should().ContainSingle();
    }
}
