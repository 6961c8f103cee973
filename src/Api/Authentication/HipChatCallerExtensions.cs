using System.Globalization;
using System.Security.Claims;
using CleanAddon.Application.Abstractions;

namespace CleanAddon.Api.Authentication;

internal static class HipChatCallerExtensions
{
    /// <summary>The caller the HipChat JWT scheme authenticated; only valid behind <c>[Authorize]</c>.</summary>
    public static HipChatCaller ToHipChatCaller(this ClaimsPrincipal user)
    {
        var room = user.FindFirstValue(HipChatJwtDefaults.RoomClaim);
        return new HipChatCaller(
            user.FindFirstValue(HipChatJwtDefaults.IssuerClaim)
                ?? throw new InvalidOperationException("The endpoint is not behind the HipChat JWT scheme."),
            user.FindFirstValue(HipChatJwtDefaults.UserClaim),
            room is null ? null : long.Parse(room, CultureInfo.InvariantCulture));
    }
}
