using System.Net;
using System.Text;
using System.Text.Json;
using CleanAddon.Application.Abstractions;
using CleanAddon.Domain;
using CleanAddon.Domain.Installations;
using Polly.Timeout;
using Refit;

namespace CleanAddon.Infrastructure.HipChat;

internal sealed class HipChatGateway(IHttpClientFactory httpClients, HipChatHosts hosts) : IHipChatGateway
{
    public const string HttpClientName = "HipChat";

    public async Task<HipChatEndpoints> GetCapabilitiesAsync(Uri capabilitiesUrl, CancellationToken cancellationToken)
    {
        var document = await CallAsync(capabilitiesUrl, api => api.GetCapabilitiesAsync(cancellationToken));
        if (!Uri.TryCreate(document.Links?.Self, UriKind.Absolute, out var self) || self != capabilitiesUrl)
        {
            throw new HipChatRejectedException("The capabilities document does not name itself with the URL it was read from.");
        }

        var tokenUrl = RequireAllowed(document.Capabilities?.OAuth2Provider?.TokenUrl, "oauth2Provider.tokenUrl");
        var apiUrl = RequireAllowed(document.Capabilities?.HipChatApiProvider?.Url, "hipchatApiProvider.url");
        try
        {
            return new HipChatEndpoints(capabilitiesUrl, tokenUrl, apiUrl);
        }
        catch (DomainRuleException exception)
        {
            throw new HipChatRejectedException(exception.Message);
        }
    }

    public async Task<IssuedToken> RequestTokenAsync(
        Uri tokenUrl, string oAuthId, string oAuthSecret, string scopes, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scopes.Length > 0)
        {
            form["scope"] = scopes;
        }

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{oAuthId}:{oAuthSecret}"));
        TokenResponse response;
        try
        {
            response = await CallAsync(tokenUrl, api => api.RequestTokenAsync(form, $"Basic {basic}", cancellationToken));
        }
        catch (HipChatRejectedException exception) when (exception.InnerException is ApiException refused
            && IsClientRefused(refused))
        {
            throw new HipChatCredentialsRefusedException("HipChat's token endpoint refused the OAuth client.", exception);
        }

        if (string.IsNullOrEmpty(response.AccessToken) || response.ExpiresIn <= 0)
        {
            throw new HipChatRejectedException("HipChat's token response carries no usable access token.");
        }

        return new IssuedToken(response.AccessToken, TimeSpan.FromSeconds(response.ExpiresIn));
    }

    public async Task<string?> GetInstalledOAuthIdAsync(Uri installableUrl, CancellationToken cancellationToken)
    {
        try
        {
            var document = await CallAsync(installableUrl, api => api.GetInstallableAsync(cancellationToken));
            return string.IsNullOrEmpty(document.OAuthId)
                ? throw new HipChatRejectedException("The installable document names no oauthId.")
                : document.OAuthId;
        }
        catch (HipChatRejectedException exception) when (exception.InnerException is ApiException
        {
            StatusCode: HttpStatusCode.NotFound or HttpStatusCode.Gone,
        })
        {
            return null;
        }
    }

    /// <summary>
    /// OAuth (RFC 6749, 5.2) answers an unknown or wrongly authenticated client with <c>invalid_client</c>, usually
    /// as a 401; a 401 from the token endpoint can mean nothing else.
    /// </summary>
    private static bool IsClientRefused(ApiException refused)
    {
        if (refused.StatusCode == HttpStatusCode.Unauthorized)
        {
            return true;
        }

        try
        {
            using var error = JsonDocument.Parse(refused.Content ?? "");
            return error.RootElement.ValueKind == JsonValueKind.Object
                && error.RootElement.TryGetProperty("error", out var code)
                && code.ValueKind == JsonValueKind.String
                && code.GetString() == "invalid_client";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A Refit client whose base address is <paramref name="baseUrl"/>, over the allow-listed HttpClient.</summary>
    public IHipChatApi For(Uri baseUrl)
    {
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = baseUrl;
        return RestService.For<IHipChatApi>(http, HipChatJson.RefitSettings);
    }

    private async Task<T> CallAsync<T>(Uri url, Func<IHipChatApi, Task<T>> call)
    {
        try
        {
            return await call(For(url));
        }
        catch (Exception exception) when (exception.Find<OutboundHostRejectedException>() is { } rejected)
        {
            throw rejected;
        }
        catch (ApiException exception) when ((int)exception.StatusCode is >= 400 and < 500
            and not (int)HttpStatusCode.TooManyRequests)
        {
            throw new HipChatRejectedException($"HipChat refused the request ({(int)exception.StatusCode}).", exception);
        }
        catch (ApiException exception) when ((int)exception.StatusCode >= 400)
        {
            throw new HipChatUnavailableException($"HipChat answered {(int)exception.StatusCode}.", exception);
        }
        catch (Exception exception) when (exception.Find<ResponseTooLargeException>() is not null)
        {
            throw new HipChatRejectedException("HipChat's answer is larger than any document it sends.", exception);
        }
        catch (Exception exception) when (exception.Find<JsonException>() is not null)
        {
            throw new HipChatRejectedException("HipChat's answer is not the JSON document expected.", exception);
        }
        catch (Exception exception) when (exception.Find<HttpRequestException>() is not null
            || exception.Find<TimeoutRejectedException>() is not null
            || exception.Find<TimeoutException>() is not null)
        {
            throw new HipChatUnavailableException("HipChat could not be reached in time.", exception);
        }
    }

    private Uri RequireAllowed(string? value, string field)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url))
        {
            throw new HipChatRejectedException($"The capabilities document has no absolute {field}.");
        }

        return hosts.IsAllowed(url) ? url : throw new OutboundHostRejectedException(url);
    }
}
