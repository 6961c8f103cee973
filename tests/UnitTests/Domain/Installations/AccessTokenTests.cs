using CleanAddon.Domain;
using CleanAddon.Domain.Installations;

namespace CleanAddon.UnitTests.Domain.Installations;

public sealed class AccessTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void An_issued_token_expires_its_lifetime_after_it_was_issued()
    {
        var token = AccessToken.Issue("oauth-1", "send_notification", "value-1", Hour, Now);

        token.OAuthId.Should().Be("oauth-1");
        token.Scopes.Should().Be("send_notification");
        token.Value.Should().Be("value-1");
        token.ExpiresAt.Should().Be(Now + Hour);
    }

    [Fact]
    public void An_empty_token_is_refused()
    {
        var issue = () => AccessToken.Issue("oauth-1", "", "", Hour, Now);

        issue.Should().Throw<DomainRuleException>().WithMessage("*empty access token*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(60)]
    public void A_token_living_no_longer_than_the_renewal_margin_is_refused(int seconds)
    {
        var issue = () => AccessToken.Issue("oauth-1", "", "value", TimeSpan.FromSeconds(seconds), Now);

        issue.Should().Throw<DomainRuleException>();
    }

    [Fact]
    public void A_token_living_just_over_the_renewal_margin_is_issued()
    {
        var token = AccessToken.Issue("oauth-1", "", "value", TimeSpan.FromSeconds(61), Now);

        token.IsUsableAt(Now).Should().BeTrue();
    }

    [Fact]
    public void A_token_is_renewed_a_minute_before_it_expires()
    {
        var token = AccessToken.Issue("oauth-1", "", "value", Hour, Now);
        var renewal = token.ExpiresAt - TimeSpan.FromSeconds(60);

        token.IsUsableAt(Now).Should().BeTrue();
        token.IsUsableAt(renewal - TimeSpan.FromTicks(1)).Should().BeTrue();
        token.IsUsableAt(renewal).Should().BeFalse();
        token.IsUsableAt(token.ExpiresAt).Should().BeFalse();
        token.IsUsableAt(token.ExpiresAt.AddHours(1)).Should().BeFalse();
    }

    [Fact]
    public void Renewing_takes_the_value_and_expiry_of_the_fresh_token_and_keeps_installation_and_scopes()
    {
        var token = AccessToken.Issue("oauth-1", "view_group", "old", Hour, Now);
        var later = Now.AddHours(2);
        var fresh = AccessToken.Issue("oauth-1", "view_group", "new", Hour, later);

        token.Renew(fresh);

        token.Value.Should().Be("new");
        token.ExpiresAt.Should().Be(later + Hour);
        token.OAuthId.Should().Be("oauth-1");
        token.Scopes.Should().Be("view_group");
        token.IsUsableAt(later).Should().BeTrue();
    }

    [Fact]
    public void An_invalidated_token_is_no_longer_usable_and_expires_at_once()
    {
        var token = AccessToken.Issue("oauth-1", "", "value", Hour, Now);

        token.Invalidate(Now.AddMinutes(5));

        token.IsUsableAt(Now.AddMinutes(5)).Should().BeFalse();
        token.ExpiresAt.Should().Be(Now.AddMinutes(5));
    }

    [Fact]
    public void Invalidating_an_expired_token_keeps_its_expiry()
    {
        var token = AccessToken.Issue("oauth-1", "", "value", Hour, Now);

        token.Invalidate(Now.AddHours(2));

        token.ExpiresAt.Should().Be(Now + Hour);
    }
}
