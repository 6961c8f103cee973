using CleanAddon.Application.Abstractions;
using CleanAddon.Application.Extensibility;
using FluentValidation;

namespace CleanAddon.IntegrationTests.TestAddon;

/// <summary>What the test add-on's page action <c>POST /tally</c> takes.</summary>
/// <param name="Add">How many echoes to add to the room's tally.</param>
/// <param name="Note">Said in the room with the new tally; one starting with <see cref="TestAddonModule.FailingPrefix"/> makes the action throw.</param>
/// <param name="Loud">Whether the notification pings the room.</param>
public sealed record TallyForm(int? Add, string? Note, bool? Loud);

public sealed class TallyValidator : AbstractValidator<TallyForm>
{
    public TallyValidator()
    {
        RuleFor(f => f.Add).NotNull().InclusiveBetween(1, 10);
        RuleFor(f => f.Note).MaximumLength(50);
    }
}

/// <summary>
/// Adds to the room's tally and says so in the room; with a failing note it does both and then throws, so that
/// neither may commit.
/// </summary>
public sealed class TallyAction(IAddonDbContext db) : IPageActionHandler<TallyForm>
{
    public async ValueTask HandleAsync(TallyForm form, PageActionContext context, CancellationToken cancellationToken)
    {
        var room = context.Room;
        var tallies = db.Set<RoomTally>();
        var tally = await tallies.FindAsync([context.OAuthId, room.Id], cancellationToken);
        if (tally is null)
        {
            tally = RoomTally.Start(context.OAuthId, room.Id);
            tallies.Add(tally);
        }

        var echoes = tally.Echoes;
        for (var i = 0; i < form.Add; i++)
        {
            echoes = tally.Count();
        }

        room.Notify($"tally {echoes}: {form.Note}", notify: form.Loud ?? false);
        if (form.Note?.StartsWith(TestAddonModule.FailingPrefix, StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException("The test add-on's page action fails after changing its state and queueing its call.");
        }
    }
}
