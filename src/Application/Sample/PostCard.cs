using System.Text.Json.Serialization;
using CleanAddon.Application.Extensibility;
using CleanAddon.Application.Notifications;
using FluentValidation;

namespace CleanAddon.Application.Sample;

/// <summary>What the sidebar and the dialog send to <c>/post-card</c> (the tutorial's field name).</summary>
public sealed record CardForm([property: JsonPropertyName("cardDescription")] string? CardDescription);

public sealed class PostCardValidator : AbstractValidator<CardForm>
{
    public PostCardValidator() =>
        RuleFor(f => f.CardDescription).NotEmpty().MaximumLength(CardDescription.ValueMaxLength);
}

/// <summary>The tutorial's <c>/post-card</c>: a card with the typed text in the room the view was opened in.</summary>
public static class PostCard
{
    public const string CardTitle = "From the Clean Add-on sidebar";

    public static void Send(CardForm form, PageActionContext context)
    {
        var description = form.CardDescription!;
        var card = new CardBuilder(CardStyle.Application, CardTitle)
            .WithDescription(description)
            .WithFormat(CardFormat.Medium)
            .Build();
        context.Room.SendCard(card, description);
    }
}
