using CleanAddon.Application.Notifications;

namespace CleanAddon.UnitTests.Application.Notifications;

public sealed class RoomNotificationTests
{
    [Fact]
    public void A_notification_is_gray_plain_text_and_silent_unless_told_otherwise()
    {
        var notification = new RoomNotification("hello");

        notification.Message.Should().Be("hello");
        notification.MessageFormat.Should().Be(MessageFormat.Text);
        notification.Color.Should().Be(NotificationColor.Gray);
        notification.Notify.Should().BeFalse();
    }

    [Fact]
    public void An_empty_message_is_refused()
    {
        var create = () => new RoomNotification("");

        create.Should().Throw<ArgumentException>().WithParameterName("message");
    }

    [Fact]
    public void A_message_of_hipchats_maximum_length_is_accepted_and_one_longer_is_refused()
    {
        var longest = new string('m', RoomNotification.MessageMaxLength);

        var notification = new RoomNotification(longest);
        var tooLong = () => new RoomNotification(longest + "m");

        notification.Message.Should().HaveLength(RoomNotification.MessageMaxLength);
        tooLong.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("message");
    }

    [Fact]
    public void Fitting_leaves_text_within_the_limit_as_it_is()
    {
        var longest = new string('m', RoomNotification.MessageMaxLength);

        RoomNotification.Fit("echo hi").Should().Be("echo hi");
        RoomNotification.Fit(longest).Should().BeSameAs(longest);
    }

    [Fact]
    public void Fitting_cuts_longer_text_to_the_limit_and_marks_the_cut_with_an_ellipsis()
    {
        var text = new string('a', RoomNotification.MessageMaxLength - 1) + "bcdef";

        var fitted = RoomNotification.Fit(text);

        fitted.Should().HaveLength(RoomNotification.MessageMaxLength);
        fitted.Should().StartWith(text[..(RoomNotification.MessageMaxLength - 1)]).And.EndWith("…");
        new RoomNotification(fitted).Message.Should().Be(fitted);
    }

    [Fact]
    public void Fitting_never_splits_a_character_made_of_two_utf16_units()
    {
        var text = new string('a', RoomNotification.MessageMaxLength - 2) + "😀" + "tail";

        var fitted = RoomNotification.Fit(text);

        fitted.Should().EndWith("a…");
        fitted.Length.Should().BeLessThanOrEqualTo(RoomNotification.MessageMaxLength);
    }
}
