using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using CleanAddon.Api.ProblemDetails;
using CleanAddon.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CleanAddon.Api.Authentication;

/// <summary>
/// HipChat's JWT, from the <c>signed_request</c> query parameter or an <c>Authorization: JWT &lt;token&gt;</c>
/// header (the older <c>JWT token=&lt;token&gt;</c> form too). Every failure answers the same 401 problem, so that
/// nobody learns from it whether an oauthId is installed; the reason goes to a Debug log only, never the token.
/// </summary>
internal sealed partial class HipChatJwtAuthenticationHandler(
    IOptionsMonitor<HipChatJwtOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    HipChatJwtValidator validator,
    ProblemWriter problems)
    : AuthenticationHandler<HipChatJwtOptions>(options, logger, encoder)
{
    private const string HeaderScheme = "JWT";
    private const string Refusal = "A valid HipChat JWT is required.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var fromQuery = Options.Sources.HasFlag(TokenSources.Query)
            ? Request.Query[HipChatJwtDefaults.SignedRequestParameter]
            : default;
        var fromHeader = Options.Sources.HasFlag(TokenSources.Header) ? FromAuthorizationHeader() : null;
        if (fromQuery.Count > 1)
        {
            return Refuse("More than one signed_request parameter.");
        }

        var query = fromQuery.Count == 1 ? fromQuery[0] : null;
        if (query is not null && fromHeader is not null && query != fromHeader)
        {
            return Refuse("The signed_request parameter and the Authorization header disagree.");
        }

        var token = query ?? fromHeader;
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var remember = Context.GetEndpoint()?.Metadata.GetMetadata<ReusedTokens>() is not null;
        var validation = await validator.ValidateAsync(token, remember, Context.RequestAborted);
        if (validation.Caller is not { } caller)
        {
            return Refuse(validation.Failure!);
        }

        List<Claim> claims = [new(HipChatJwtDefaults.IssuerClaim, caller.OAuthId)];
        if (caller.UserId is not null)
        {
            claims.Add(new Claim(HipChatJwtDefaults.UserClaim, caller.UserId));
        }

        if (caller.RoomId is { } roomId)
        {
            claims.Add(new Claim(HipChatJwtDefaults.RoomClaim, roomId.ToString(CultureInfo.InvariantCulture)));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = HeaderScheme;
        await problems.WriteAsync(Context, ProblemTypes.Unauthorized, Refusal);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        problems.WriteAsync(Context, ProblemTypes.Forbidden, "The JWT does not allow this request.");

    private AuthenticateResult Refuse(string reason)
    {
        LogRefused(Logger, Scheme.Name, reason);
        return AuthenticateResult.Fail(Refusal);
    }

    private string? FromAuthorizationHeader()
    {
        var header = Request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith(HeaderScheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[(HeaderScheme.Length + 1)..].Trim();
        return token.StartsWith("token=", StringComparison.Ordinal) ? token["token=".Length..] : token;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Scheme} refused a HipChat JWT: {Reason}")]
    private static partial void LogRefused(ILogger logger, string scheme, string reason);
}

/// <summary>
/// Endpoint metadata: HipChat clients call this endpoint with one token many times (a glance, a view and its calls), so
/// a token verified once is remembered until it expires. A webhook's token is signed for that webhook alone.
/// </summary>
public sealed class ReusedTokens
{
    public static ReusedTokens Instance { get; } = new();

    private ReusedTokens()
    {
    }
}

public sealed class HipChatJwtOptions : AuthenticationSchemeOptions
{
    /// <summary>Where this endpoint accepts the token from; anywhere else it is ignored.</summary>
    public TokenSources Sources { get; set; } = TokenSources.Header | TokenSources.Query;
}

[Flags]
public enum TokenSources
{
    Header = 1,
    Query = 2,
}
