using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.HipChat;
using CleanAddon.Infrastructure.Delivery;
using CleanAddon.Infrastructure.Queues;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CleanAddon.UnitTests.Infrastructure.Delivery;

public sealed class DeliveryPolicyTests
{
    private const string OAuthId = "oauth-1";
    private const long Room = 42;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly DeliveryPolicy _policy;

    public DeliveryPolicyTests() => _policy = new DeliveryPolicy(
        _clock,
        Options.Create(new OutboxOptions { FirstRetryDelay = FirstRetryDelay, MaxRetryDelay = MaxRetryDelay }),
        Options.Create(new HipChatOptions { RequestTimeout = RequestTimeout }));

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.Created)]
    [InlineData(HttpStatusCode.NoContent)]
    public void A_success_delivers_the_message(HttpStatusCode status)
    {
        var outcome = _policy.Judge(Message(), status, Headers(), error: null);

        outcome.Should().Be(DeliveryOutcome.Delivered);
    }

    [Fact]
    public void A_429_with_retry_after_in_seconds_is_retried_that_long_after_now()
    {
        var headers = Headers();
        headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));

        var outcome = _policy.Judge(Message(), HttpStatusCode.TooManyRequests, headers, error: null);

        outcome.Kind.Should().Be(DeliveryOutcomeKind.Retry);
        outcome.At.Should().Be(Start.AddSeconds(2));
    }

    [Fact]
    public void A_429_with_retry_after_as_a_date_is_retried_at_that_date()
    {
        var headers = Headers();
        headers.RetryAfter = new RetryConditionHeaderValue(Start.AddSeconds(30));

        var outcome = _policy.Judge(Message(), HttpStatusCode.TooManyRequests, headers, error: null);

        outcome.At.Should().Be(Start.AddSeconds(30));
    }

    [Fact]
    public void Retry_after_wins_over_the_reset_headers()
    {
        var headers = Headers(("X-FloodControl-Remaining", "0"), ("X-FloodControl-Reset", Unix(Start.AddSeconds(40))));
        headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));

        _policy.RetryAt(headers).Should().Be(Start.AddSeconds(3));
    }

    [Fact]
    public void Without_retry_after_a_429_waits_for_the_reset_of_the_limit_that_ran_out()
    {
        var headers = Headers(
            ("X-Ratelimit-Remaining", "120"), ("X-Ratelimit-Reset", Unix(Start.AddSeconds(200))),
            ("X-FloodControl-Remaining", "0"), ("X-FloodControl-Reset", Unix(Start.AddSeconds(20))));

        var outcome = _policy.Judge(Message(), HttpStatusCode.TooManyRequests, headers, error: null);

        outcome.At.Should().Be(Start.AddSeconds(20));
    }

    [Fact]
    public void A_429_that_names_no_exhausted_limit_waits_for_the_latest_reset_announced()
    {
        var headers = Headers(
            ("X-Ratelimit-Reset", Unix(Start.AddSeconds(50))), ("X-FloodControl-Reset", Unix(Start.AddSeconds(20))));

        _policy.RetryAt(headers).Should().Be(Start.AddSeconds(50));
    }

    [Fact]
    public void A_429_without_any_hint_backs_off_like_a_failure()
    {
        var outcome = _policy.Judge(Message(attempts: 2), HttpStatusCode.TooManyRequests, Headers(), error: null);

        outcome.Kind.Should().Be(DeliveryOutcomeKind.Retry);
        outcome.At.Should().BeOnOrAfter(Start + (4 * FirstRetryDelay * 0.8)).And.BeOnOrBefore(Start + (4 * FirstRetryDelay * 1.2));
    }

    [Fact]
    public void A_wait_hipchat_asks_for_beyond_its_longest_window_is_cut_to_that_window()
    {
        var headers = Headers();
        headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromDays(3));

        _policy.RetryAt(headers).Should().Be(Start + DeliveryPolicy.MaxPause);
    }

    [Fact]
    public void A_reset_already_past_means_retry_now()
    {
        var headers = Headers(("X-FloodControl-Remaining", "0"), ("X-FloodControl-Reset", Unix(Start.AddSeconds(-30))));

        _policy.RetryAt(headers).Should().Be(Start);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void A_server_error_is_retried_after_a_backoff(HttpStatusCode status)
    {
        var outcome = _policy.Judge(Message(attempts: 0), status, Headers(), error: null);

        outcome.Kind.Should().Be(DeliveryOutcomeKind.Retry);
        outcome.Error.Should().Contain(((int)status).ToString(CultureInfo.InvariantCulture));
        outcome.At.Should().BeOnOrAfter(Start + (FirstRetryDelay * 0.8)).And.BeOnOrBefore(Start + (FirstRetryDelay * 1.2));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 8)]
    [InlineData(12, 300)]
    public void The_backoff_doubles_with_every_attempt_made_up_to_the_maximum(int attemptsSoFar, int nominalSeconds)
    {
        var nominal = TimeSpan.FromSeconds(nominalSeconds);

        var retryAt = _policy.Backoff(attemptsSoFar);

        (retryAt - Start).Should().BeGreaterThanOrEqualTo(nominal * 0.8).And.BeLessThanOrEqualTo(nominal * 1.2);
    }

    [Fact]
    public void The_backoff_counts_from_the_current_time()
    {
        _clock.Advance(TimeSpan.FromMinutes(10));

        var retryAt = _policy.Backoff(0);

        retryAt.Should().BeOnOrAfter(Start.AddMinutes(10));
    }

    [Fact]
    public void A_401_after_a_fresh_token_is_dead_lettered()
    {
        var outcome = _policy.Judge(Message(), HttpStatusCode.Unauthorized, Headers(), error: null);

        outcome.Kind.Should().Be(DeliveryOutcomeKind.Dead);
        outcome.Error.Should().Contain("401");
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public void A_refusal_is_dead_lettered_with_hipchats_explanation(HttpStatusCode status)
    {
        var outcome = _policy.Judge(Message(), status, Headers(), error: "message must have 1 to 10000 characters");

        outcome.Kind.Should().Be(DeliveryOutcomeKind.Dead);
        outcome.Error.Should().Be(
            $"HipChat refused the call ({(int)status}): message must have 1 to 10000 characters");
    }

    [Fact]
    public void A_success_leaving_no_flood_control_pauses_the_room_until_the_reset()
    {
        var reset = Start.AddSeconds(25);
        var headers = Headers(("X-FloodControl-Remaining", "0"), ("X-FloodControl-Reset", Unix(reset)));

        _policy.Judge(Message(), HttpStatusCode.NoContent, headers, error: null);

        _policy.PausedUntil(OAuthId, Room).Should().Be(reset);
        _policy.PausedUntil(OAuthId, Room + 1).Should().BeNull();
        _policy.PausedUntil("oauth-2", Room).Should().BeNull();
    }

    [Fact]
    public void A_room_pause_ends_at_the_reset()
    {
        var reset = Start.AddSeconds(25);
        _policy.Observe(OAuthId, Room, Headers(("X-FloodControl-Remaining", "0"), ("X-FloodControl-Reset", Unix(reset))));

        _clock.Advance(TimeSpan.FromSeconds(24));
        var justBefore = _policy.PausedUntil(OAuthId, Room);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var atReset = _policy.PausedUntil(OAuthId, Room);

        justBefore.Should().Be(reset);
        atReset.Should().BeNull();
    }

    [Fact]
    public void A_success_leaving_no_rate_limit_pauses_every_room_of_the_installation()
    {
        var reset = Start.AddMinutes(3);
        var headers = Headers(("X-Ratelimit-Remaining", "0"), ("X-Ratelimit-Reset", Unix(reset)));

        _policy.Judge(Message(), HttpStatusCode.NoContent, headers, error: null);

        _policy.PausedUntil(OAuthId, Room).Should().Be(reset);
        _policy.PausedUntil(OAuthId, 7).Should().Be(reset);
        _policy.PausedUntil("oauth-2", Room).Should().BeNull();
    }

    [Fact]
    public void Of_two_pauses_on_a_room_the_later_one_holds()
    {
        _policy.Observe(OAuthId, Room, Headers(("X-Ratelimit-Remaining", "0"), ("X-Ratelimit-Reset", Unix(Start.AddSeconds(10)))));
        _policy.Observe(OAuthId, Room, Headers(("X-FloodControl-Remaining", "0"), ("X-FloodControl-Reset", Unix(Start.AddSeconds(40)))));

        _policy.PausedUntil(OAuthId, Room).Should().Be(Start.AddSeconds(40));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("29")]
    [InlineData("not a number")]
    public void A_success_with_requests_left_does_not_pause(string remaining)
    {
        var headers = Headers(("X-FloodControl-Remaining", remaining), ("X-FloodControl-Reset", Unix(Start.AddSeconds(30))));

        _policy.Judge(Message(), HttpStatusCode.NoContent, headers, error: null);

        _policy.PausedUntil(OAuthId, Room).Should().BeNull();
    }

    [Fact]
    public void A_failure_never_pauses_even_with_exhausted_limit_headers()
    {
        var headers = Headers(("X-FloodControl-Remaining", "0"), ("X-FloodControl-Reset", Unix(Start.AddSeconds(30))));

        _policy.Judge(Message(), HttpStatusCode.ServiceUnavailable, headers, error: null);

        _policy.PausedUntil(OAuthId, Room).Should().BeNull();
    }

    [Fact]
    public void A_429_pauses_the_room_until_the_reset_of_the_exhausted_flood_control()
    {
        var reset = Start.AddSeconds(15);
        var headers = Headers(("X-FloodControl-Remaining", "0"), ("X-FloodControl-Reset", Unix(reset)));

        _policy.Judge(Message(), HttpStatusCode.TooManyRequests, headers, error: null);

        _policy.PausedUntil(OAuthId, Room).Should().Be(reset);
    }

    [Fact]
    public void A_lease_shorter_than_the_longest_delivery_is_too_short_to_send()
    {
        var longest = OutboxOptions.LeaseCalls * RequestTimeout;

        _policy.LeaseTooShort(Message(leaseExpiresAt: Start + longest)).Should().BeFalse();
        _policy.LeaseTooShort(Message(leaseExpiresAt: Start + longest - TimeSpan.FromMilliseconds(1))).Should().BeTrue();
        _policy.LeaseTooShort(Message(leaseExpiresAt: null)).Should().BeTrue();
    }

    [Fact]
    public void A_lease_becomes_too_short_as_time_passes()
    {
        var message = Message(leaseExpiresAt: Start + TimeSpan.FromMinutes(1));

        var atClaim = _policy.LeaseTooShort(message);
        _clock.Advance(TimeSpan.FromMinutes(1) - (OutboxOptions.LeaseCalls * RequestTimeout) + TimeSpan.FromSeconds(1));
        var later = _policy.LeaseTooShort(message);

        atClaim.Should().BeFalse();
        later.Should().BeTrue();
    }

    private static HipChatCall Message(int attempts = 0, DateTimeOffset? leaseExpiresAt = null)
    {
        var message = HipChatCall.Record(OAuthId, Room, HipChatCallKind.RoomNotification, """{"message":"hi"}""", Start);
        for (var i = 0; i < attempts; i++)
        {
            message.ScheduleRetry("earlier failure", Start);
        }

        // Workers claim with a set-based SQL update, so the entity has no method that takes a lease.
        typeof(QueuedItem).GetProperty(nameof(QueuedItem.LeaseExpiresAt))!.SetValue(message, leaseExpiresAt);
        return message;
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response.Headers;
    }

    private static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
