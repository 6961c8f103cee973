namespace CleanAddon.Api.Authentication;

public static class HipChatJwtDefaults
{
    /// <summary>Webhooks and glances: the token in the Authorization header or in <c>signed_request</c>.</summary>
    public const string Scheme = "HipChatJwt";

    /// <summary>Views HipChat loads in an iframe: the token in <c>signed_request</c> only.</summary>
    public const string PageScheme = "HipChatJwt.Page";

    /// <summary>A view's own calls to the add-on (token from <c>HipChat.auth.withToken</c>): the header only.</summary>
    public const string BackendScheme = "HipChatJwt.Backend";
    public const string SignedRequestParameter = "signed_request";
    public const string IssuerClaim = "iss";
    public const string UserClaim = "sub";
    public const string RoomClaim = "room_id";
}
