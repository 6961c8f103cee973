namespace CleanAddon.Api.Pages;

/// <summary>
/// Where a view is shown, taken only from the verified JWT; every view component receives it as
/// <c>[CascadingParameter] public PageContext Page { get; set; }</c>. Services come by <c>@inject</c>, e.g.
/// <c>@inject IAddonDbContext Db</c> for the module's state.
/// </summary>
/// <param name="Key">The declared view's key.</param>
/// <param name="OAuthId">The installation: the key of everything the module keeps for it.</param>
/// <param name="RoomId">The room; null for a configure page opened for the whole group.</param>
/// <param name="UserId">The HipChat user looking at the view.</param>
/// <param name="Nonce">
/// This response's CSP nonce: an inline <c>&lt;script nonce="@Page.Nonce"&gt;</c> runs, any other does not.
/// </param>
public sealed record PageContext(string Key, string OAuthId, long? RoomId, string? UserId, string Nonce);
