using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CleanAddon.Application.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CleanAddon.Infrastructure.Security;

/// <summary>
/// Verifies a JWT that HipChat signed with an installation's OAuth secret: HS256 only, the issuer names the
/// installation whose secret is the key, <c>exp</c> required and <c>iat</c> not in the future, both with a
/// minute of skew, and a room installation's token may only speak for that room. A revoked installation's JWTs are
/// refused: HipChat no longer signs with that secret. Installations come from the <see cref="IInstallationDirectory"/>,
/// so a known issuer costs no database read. A HipChat client reuses one JWT for a glance's or a view's calls until it
/// expires: such a token, once verified, is remembered by its exact text (when the caller asks) and accepted again
/// while it has not expired and its installation is unchanged — a re-install, an update or a revocation makes its
/// snapshot differ, and the token is verified afresh.
/// </summary>
public sealed class HipChatJwtValidator(IInstallationDirectory installations, TimeProvider clock)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private const string Algorithm = SecurityAlgorithms.HmacSha256;
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    // One key per snapshot, made once: IdentityModel caches its HMAC per key instance, and a snapshot is replaced
    // (and its key collected) when its installation changes.
    private static readonly ConditionalWeakTable<InstallationSnapshot, SymmetricSecurityKey> SigningKeys = [];

    // Bounded: once full it is emptied at once, as the directory does with issuers that are not installed.
    private const int MaxRemembered = 4096;
    private readonly ConcurrentDictionary<string, Verified> _remembered = new(StringComparer.Ordinal);

    /// <param name="token">The JWT as HipChat sent it.</param>
    /// <param name="remember">
    /// True where HipChat clients send one token many times (glances, views); a webhook's token is signed for it alone.
    /// </param>
    /// <param name="cancellationToken">Cancels the installation's lookup.</param>
    public async Task<JwtValidation> ValidateAsync(string token, bool remember, CancellationToken cancellationToken)
    {
        if (remember && _remembered.TryGetValue(token, out var known))
        {
            if (clock.GetUtcNow().UtcDateTime < known.Expires + ClockSkew
                && Equals(await installations.FindAsync(known.Installation.OAuthId, cancellationToken), known.Installation))
            {
                return JwtValidation.Succeeded(known.Caller);
            }

            _remembered.TryRemove(token, out _);
        }

        var (validation, verified) = await VerifyAsync(token, cancellationToken);
        if (remember && verified is not null)
        {
            if (_remembered.Count >= MaxRemembered)
            {
                _remembered.Clear();
            }

            _remembered[token] = verified;
        }

        return validation;
    }

    private async Task<(JwtValidation Validation, Verified? Verified)> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        JsonWebToken jwt;
        try
        {
            jwt = Handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Refused("The JWT is malformed.");
        }

        if (jwt.Alg != Algorithm)
        {
            return Refused("The JWT must be signed with HS256.");
        }

        if (string.IsNullOrEmpty(jwt.Issuer))
        {
            return Refused("The JWT names no issuer.");
        }

        var installation = await installations.FindAsync(jwt.Issuer, cancellationToken);
        if (installation is null)
        {
            return Refused("The JWT's issuer is not an installation of this add-on.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = installation.OAuthId,
            ValidateAudience = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = [Algorithm],
            IssuerSigningKey = SigningKeys.GetValue(
                installation, snapshot => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(snapshot.OAuthSecret))),
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && now < exp + ClockSkew && (notBefore is not { } nbf || nbf <= now + ClockSkew),
        });
        if (!result.IsValid)
        {
            return Refused(result.Exception switch
            {
                SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException =>
                    "The JWT has expired or carries no expiry.",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
                    "The JWT's signature does not verify.",
                _ => "The JWT is not valid.",
            });
        }

        var claims = Claims.Read(jwt);
        if (claims.IssuedAt is not { } issuedAt || issuedAt > now + ClockSkew)
        {
            return Refused("The JWT's issue time is missing or in the future.");
        }

        if (installation.IsRevoked)
        {
            return Refused("The JWT's installation was revoked by HipChat.");
        }

        if (installation.RoomId is { } installedRoom && claims.RoomId is { } tokenRoom && tokenRoom != installedRoom)
        {
            return Refused("The JWT's room is not the room of its installation.");
        }

        var caller = new HipChatCaller(installation.OAuthId, claims.UserId, claims.RoomId ?? installation.RoomId);
        return (JwtValidation.Succeeded(caller), new Verified(installation, caller, jwt.ValidTo));
    }

    private static (JwtValidation Validation, Verified? Verified) Refused(string reason) => (JwtValidation.Failed(reason), null);

    /// <summary>A verified token: who it speaks for, the installation as it was then, and when the token expires.</summary>
    private sealed record Verified(InstallationSnapshot Installation, HipChatCaller Caller, DateTime Expires);

    /// <summary>The claims HipChat nests or types loosely: <c>sub</c> may be a number, the room sits in <c>context</c>.</summary>
    private sealed record Claims(DateTime? IssuedAt, string? UserId, long? RoomId)
    {
        public static Claims Read(JsonWebToken jwt)
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
            var root = payload.RootElement;
            DateTime? issuedAt = root.TryGetProperty("iat", out var iat) && iat.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime
                : null;
            var userId = Text(root, "sub") ?? Text(root, "prn");
            long? roomId = null;
            if (root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
                && long.TryParse(Text(context, "room_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var room))
            {
                roomId = room;
            }

            return new Claims(issuedAt, userId, roomId);
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value)
                ? value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    _ => null,
                }
                : null;
    }
}

public sealed record JwtValidation(HipChatCaller? Caller, string? Failure)
{
    public static JwtValidation Failed(string reason) => new(null, reason);

    public static JwtValidation Succeeded(HipChatCaller caller) => new(caller, null);
}
