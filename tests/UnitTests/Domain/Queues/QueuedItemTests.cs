using CleanAddon.Domain;
using CleanAddon.Domain.Queues;

namespace CleanAddon.UnitTests.Domain.Queues;

public sealed class QueuedItemTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_recorded_message_is_due_at_once_and_untried()
    {
        var message = Record();

        message.OAuthId.Should().Be("oauth-1");
        message.RoomId.Should().Be(42);
        message.Kind.Should().Be(HipChatCallKind.RoomNotification);
        message.Payload.Should().Be("""{"message":"hi"}""");
        message.CreatedAt.Should().Be(Now);
        message.NextAttemptAt.Should().Be(Now);
        message.Attempts.Should().Be(0);
        message.LeaseOwner.Should().BeNull();
        message.LastError.Should().BeNull();
        message.DeadLetteredAt.Should().BeNull();
    }

    [Fact]
    public void A_call_of_a_kind_the_add_on_does_not_make_is_refused()
    {
        var record = () => HipChatCall.Record("oauth-1", 42, (HipChatCallKind)99, "{}", Now);

        record.Should().Throw<DomainRuleException>().WithMessage("*99*");
    }

    [Fact]
    public void An_accepted_webhook_is_due_at_once_and_keeps_its_key_user_and_event()
    {
        var job = WebhookJob.Accept("oauth-1", 42, "echo", "4979430", """{"event":"room_message"}""", Now, null);

        job.WebhookKey.Should().Be("echo");
        job.UserId.Should().Be("4979430");
        job.EventJson.Should().Be("""{"event":"room_message"}""");
        job.NextAttemptAt.Should().Be(Now);
        job.Attempts.Should().Be(0);
    }

    [Fact]
    public void A_webhook_key_of_the_maximum_length_is_accepted_and_one_longer_is_refused()
    {
        var longest = new string('k', WebhookJob.KeyMaxLength);

        var job = WebhookJob.Accept("oauth-1", 42, longest, null, "{}", Now, null);
        var tooLong = () => WebhookJob.Accept("oauth-1", 42, longest + "k", null, "{}", Now, null);

        job.WebhookKey.Should().Be(longest);
        tooLong.Should().Throw<DomainRuleException>().WithMessage("*key*");
    }

    [Fact]
    public void A_retry_counts_the_attempt_records_the_error_and_waits_until_the_retry_time()
    {
        var message = Record();
        var retryAt = Now.AddSeconds(2);

        message.ScheduleRetry("HipChat answered 503", retryAt);

        message.Attempts.Should().Be(1);
        message.LastError.Should().Be("HipChat answered 503");
        message.NextAttemptAt.Should().Be(retryAt);
        message.DeadLetteredAt.Should().BeNull();
    }

    [Fact]
    public void Every_retry_counts_another_attempt()
    {
        var message = Record();

        message.ScheduleRetry("first", Now.AddSeconds(1));
        message.ScheduleRetry("second", Now.AddSeconds(3));

        message.Attempts.Should().Be(2);
        message.LastError.Should().Be("second");
        message.NextAttemptAt.Should().Be(Now.AddSeconds(3));
    }

    [Fact]
    public void A_retry_releases_the_lease()
    {
        var message = Leased(Record());

        message.ScheduleRetry("timeout", Now.AddSeconds(1));

        message.LeaseOwner.Should().BeNull();
        message.LeaseExpiresAt.Should().BeNull();
    }

    [Fact]
    public void A_long_error_is_cut_to_the_maximum_length()
    {
        var message = Record();
        var error = new string('e', QueuedItem.ErrorMaxLength) + "tail";

        message.ScheduleRetry(error, Now.AddSeconds(1));

        message.LastError.Should().HaveLength(QueuedItem.ErrorMaxLength)
            .And.Be(error[..QueuedItem.ErrorMaxLength]);
    }

    [Fact]
    public void An_error_of_the_maximum_length_is_kept_whole()
    {
        var message = Record();
        var error = new string('e', QueuedItem.ErrorMaxLength);

        message.ScheduleRetry(error, Now.AddSeconds(1));

        message.LastError.Should().Be(error);
    }

    [Fact]
    public void A_dead_lettered_message_counts_the_attempt_keeps_the_error_and_releases_the_lease()
    {
        var message = Leased(Record());
        var later = Now.AddMinutes(5);

        message.DeadLetter(new string('e', QueuedItem.ErrorMaxLength + 1), later);

        message.Attempts.Should().Be(1);
        message.DeadLetteredAt.Should().Be(later);
        message.LastError.Should().HaveLength(QueuedItem.ErrorMaxLength);
        message.LeaseOwner.Should().BeNull();
        message.LeaseExpiresAt.Should().BeNull();
    }

    [Fact]
    public void An_abandoned_message_is_dead_lettered_without_counting_an_attempt()
    {
        var message = Leased(Record());

        message.Abandon("installation revoked", Now.AddMinutes(1));

        message.DeadLetteredAt.Should().Be(Now.AddMinutes(1));
        message.LastError.Should().Be("installation revoked");
        message.Attempts.Should().Be(0);
        message.LeaseOwner.Should().BeNull();
    }

    [Fact]
    public void A_revived_dead_letter_is_due_at_once_with_its_attempts_counted_afresh()
    {
        var message = Record();
        message.DeadLetter("HipChat refused the call (400)", Now);

        message.Revive(Now.AddDays(1));

        message.DeadLetteredAt.Should().BeNull();
        message.Attempts.Should().Be(0);
        message.NextAttemptAt.Should().Be(Now.AddDays(1));
        message.LastError.Should().Be("HipChat refused the call (400)");
    }

    [Fact]
    public void A_message_that_is_not_dead_lettered_cannot_be_revived()
    {
        var revive = () => Record().Revive(Now);

        revive.Should().Throw<DomainRuleException>();
    }

    private static HipChatCall Record() =>
        HipChatCall.Record("oauth-1", 42, HipChatCallKind.RoomNotification, """{"message":"hi"}""", Now);

    // Workers claim items with a set-based SQL update, so the entity has no method that takes a lease.
    private static HipChatCall Leased(HipChatCall message)
    {
        typeof(QueuedItem).GetProperty(nameof(QueuedItem.LeaseOwner))!.SetValue(message, "instance-1");
        typeof(QueuedItem).GetProperty(nameof(QueuedItem.LeaseExpiresAt))!.SetValue(message, Now.AddMinutes(1));
        message.LeaseOwner.Should().Be("instance-1");
        return message;
    }
}
