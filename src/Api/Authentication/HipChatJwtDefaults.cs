namespace CleanAddon.Api.Authentication;

public static class HipChatJwtDefaults
{
    public const string Scheme = "HipChatJwt";
    public const string SignedRequestParameter = "signed_request";
    public const string IssuerClaim = "iss";
    public const string UserClaim = "sub";
    public const string RoomClaim = "room_id";
}
