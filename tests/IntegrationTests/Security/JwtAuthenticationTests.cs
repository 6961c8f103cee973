using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CleanAddon.HipChatEmulator;
using CleanAddon.IntegrationTests.Infrastructure;

namespace CleanAddon.IntegrationTests.Security;

/// <summary>
/// Every way a HipChat JWT can be wrong, in the Authorization header and in <c>signed_request</c>: each is a 401
/// problem and has no effect (no echo is ever sent for it).
/// </summary>
public abstract class JwtAuthenticationTests(AddonApiFactory factory) : IAsyncLifetime
{
    private const long Room = 4242;
    private readonly HttpClient _client = factory.CreateAddonClient();
    private EmulatedInstallation _installation = null!;
    private EmulatedInstallation _other = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string, bool> Forgeries()
    {
        var data = new TheoryData<string, bool>();
        foreach (var forgery in new[]
        {
            "missing", "malformed", "alg-none", "hs512", "rs256-header", "wrong-secret", "expired", "no-exp",
            "not-yet-valid", "issued-in-the-future", "unknown-issuer", "tampered-payload", "cross-installation",
            "no-signature",
        })
        {
            data.Add(forgery, false);
            data.Add(forgery, true);
        }

        return data;
    }

    public async ValueTask InitializeAsync()
    {
        _installation = factory.HipChat.CreateInstallation(roomId: Room);
        _other = factory.HipChat.CreateInstallation(roomId: Room + 1);
        (await _client.InstallAsync(_installation)).EnsureSuccessStatusCode();
        (await _client.InstallAsync(_other)).EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_broken_jwt_is_refused_with_401_and_sends_nothing(string forgery, bool inQuery)
    {
        var text = $"forged {forgery} {inQuery}";

        var response = await SendAsync(Forge(forgery), RoomMessage(text), inQuery);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await ShouldNotEchoAsync(text);
    }

    [Fact]
    public async Task Every_refusal_is_the_same_problem_so_it_tells_nobody_which_oauth_ids_are_installed()
    {
        var refusals = new List<string>();
        foreach (var forgery in Forgeries().Select(row => (string)row.Data.Item1).Distinct())
        {
            var problem = await (await SendAsync(Forge(forgery), RoomMessage("refused"), inQuery: false)).ReadJsonAsync();
            refusals.Add(string.Join(" | ", problem!["type"], problem["title"], problem["status"], problem["detail"]));
        }

        refusals.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task A_token_of_an_uninstalled_installation_is_refused()
    {
        var gone = factory.HipChat.CreateInstallation(roomId: Room + 2);
        await _client.InstallAsync(gone);
        await _client.UninstallAsync(factory.HipChat, gone.OAuthId);

        var response = await _client.SendRoomMessageAsync(gone, Room + 2, "from beyond");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_header_and_a_signed_request_that_disagree_are_refused()
    {
        var mine = HipChatServer.SignJwt(_installation, Room);
        var another = HipChatServer.SignJwt(_installation, Room, userId: "7");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{AddonClient.RoomMessageWebhook}?signed_request={another}")
        {
            Content = JsonContent.Create(RoomMessage("disagreeing")),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("JWT", mine);

        var response = await _client.SendAsync(request, Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("JWT {0}")]
    [InlineData("jwt {0}")]
    [InlineData("JWT token={0}")]
    public async Task Every_authorization_header_form_HipChat_used_is_accepted(string format)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, AddonClient.RoomMessageWebhook)
        {
            Content = JsonContent.Create(RoomMessage("header form")),
        };
        request.Headers.TryAddWithoutValidation(
            "Authorization", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Valid()));

        var response = await _client.SendAsync(request, Cancellation);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_token_within_the_minute_of_clock_skew_is_accepted()
    {
        var payload = Payload(issuedAt: DateTimeOffset.UtcNow.AddMinutes(-10), lifetime: TimeSpan.FromMinutes(9.5));

        var response = await SendAsync(
            HipChatJwt.Sign(HipChatJwt.Header(), payload, _installation.OAuthSecret), RoomMessage("skewed"), false);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    private string Valid() => HipChatServer.SignJwt(_installation, Room);

    private JsonObject Payload(DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null, string? issuer = null) =>
        HipChatJwt.Payload(
            issuer ?? _installation.OAuthId, "4979430", Room, issuedAt ?? DateTimeOffset.UtcNow,
            lifetime ?? TimeSpan.FromMinutes(5));

    private string? Forge(string forgery)
    {
        var secret = _installation.OAuthSecret;
        return forgery switch
        {
            "missing" => null,
            "malformed" => "not.a.jwt",
            "alg-none" => HipChatJwt.WithoutSignature(Payload()),
            "no-signature" => string.Join('.', Valid().Split('.')[..2]) + ".",
            "hs512" => SignHs512(Payload(), secret),
            "rs256-header" => HipChatJwt.Sign(HipChatJwt.Header("RS256"), Payload(), secret),
            "wrong-secret" => HipChatJwt.Sign(HipChatJwt.Header(), Payload(), "not-the-secret-but-long-enough-for-hmac"),
            "expired" => HipChatJwt.Sign(
                HipChatJwt.Header(),
                Payload(issuedAt: DateTimeOffset.UtcNow.AddMinutes(-20), lifetime: TimeSpan.FromMinutes(15)),
                secret),
            "no-exp" => HipChatJwt.Sign(HipChatJwt.Header(), Without(Payload(), "exp"), secret),
            "not-yet-valid" => HipChatJwt.Sign(
                HipChatJwt.Header(),
                With(Payload(), "nbf", DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()),
                secret),
            "issued-in-the-future" => HipChatJwt.Sign(
                HipChatJwt.Header(), Payload(issuedAt: DateTimeOffset.UtcNow.AddMinutes(5)), secret),
            "unknown-issuer" => HipChatJwt.Sign(HipChatJwt.Header(), Payload(issuer: Guid.NewGuid().ToString()), secret),
            "tampered-payload" => HipChatJwt.ReplacePayload(Valid(), With(Payload(), "sub", "1")),
            "cross-installation" => HipChatJwt.Sign(HipChatJwt.Header(), Payload(issuer: _other.OAuthId), secret),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
    }

    private static JsonObject With(JsonObject payload, string claim, JsonNode value)
    {
        payload[claim] = value;
        return payload;
    }

    private static JsonObject Without(JsonObject payload, string claim)
    {
        payload.Remove(claim);
        return payload;
    }

    private static string SignHs512(JsonObject payload, string secret)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var input = Encode(Encoding.UTF8.GetBytes(HipChatJwt.Header("HS512").ToJsonString()))
            + "." + Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return input + "." + Encode(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(input)));
    }

    private JsonObject RoomMessage(string text) => HipChatWebhooks.RoomMessage(_installation, Room, text);

    private Task<HttpResponseMessage> SendAsync(string? jwt, JsonObject payload, bool inQuery)
    {
        var path = inQuery && jwt is not null ? $"{AddonClient.RoomMessageWebhook}?signed_request={jwt}" : AddonClient.RoomMessageWebhook;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(payload) };
        if (!inQuery && jwt is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("JWT", jwt);
        }

        return _client.SendAsync(request, Cancellation);
    }

    /// <summary>Proves a refused webhook sent nothing: a valid one sent after it is echoed, and it alone.</summary>
    private async Task ShouldNotEchoAsync(string refusedText) =>
        (await factory.SettleRoomAsync(_installation, Room))
            .Should().NotContain(c => c.Body.Contains(refusedText, StringComparison.Ordinal));
}

public sealed class PostgresJwtAuthenticationTests(AddonApiFactory<Postgres> factory)
    : JwtAuthenticationTests(factory), IClassFixture<AddonApiFactory<Postgres>>;

public sealed class SqliteJwtAuthenticationTests(AddonApiFactory<Sqlite> factory)
    : JwtAuthenticationTests(factory), IClassFixture<AddonApiFactory<Sqlite>>;
