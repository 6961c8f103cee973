using System.Globalization;
using CleanAddon.Api.Pages;
using CleanAddon.Application.Abstractions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace CleanAddon.IntegrationTests.TestAddon;

/// <summary>
/// The sidebar the glance opens (and the configure page): the room's echo count, and the note of the last tally.
/// A component written as a class, since this project has no Razor files; a team writes it as a .razor file.
/// </summary>
public sealed class TallyPanel : ComponentBase
{
    private long _echoes;

    [CascadingParameter]
    public PageContext Page { get; set; } = null!;

    [Inject]
    public IAddonDbContext Db { get; set; } = null!;

    protected override async Task OnInitializedAsync() =>
        _echoes = (await Db.Set<RoomTally>().FindAsync(Page.OAuthId, Page.RoomId ?? 0))?.Echoes ?? 0;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "p");
        builder.AddAttribute(1, "id", "tally");
        builder.AddContent(2, string.Create(CultureInfo.InvariantCulture, $"{_echoes} echoes in room {Page.RoomId ?? 0}"));
        builder.CloseElement();
        builder.OpenElement(3, "p");
        builder.AddAttribute(4, "id", "context");
        builder.AddContent(5, $"{Page.Key} {Page.OAuthId} {Page.UserId}");
        builder.CloseElement();
    }
}
