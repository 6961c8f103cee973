namespace CleanAddon.Application.Abstractions;

/// <summary>Who called, taken only from a verified HipChat JWT.</summary>
/// <param name="OAuthId">The installation (the JWT issuer).</param>
/// <param name="UserId">The HipChat user (<c>sub</c>), when the call is made for one.</param>
/// <param name="RoomId">The room of the call (<c>context.room_id</c>), when there is one.</param>
public sealed record HipChatCaller(string OAuthId, string? UserId, long? RoomId);
