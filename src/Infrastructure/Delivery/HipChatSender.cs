using System.Net;
using System.Text;
using System.Text.Json;
using CleanAddon.Application.Abstractions;
using CleanAddon.Domain;
using CleanAddon.Domain.Queues;
using CleanAddon.Infrastructure.HipChat;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using Refit;

namespace CleanAddon.Infrastructure.Delivery;

/// <summary>
/// Makes one call to HipChat and says what became of it: with the installation's cached token, once more with a fresh
/// one after a 401, and every failure sorted by <see cref="DeliveryPolicy"/> into retry, pause or give up.
/// </summary>
internal sealed partial class HipChatSender(
    HipChatGateway hipChat, AccessTokenProvider tokens, DeliveryPolicy policy, ILogger<HipChatSender> logger)
{
    /// <summary>
    /// Not cancellable on purpose: a call cut off half-way may have reached HipChat, and its outcome must be recorded;
    /// <c>HipChat:RequestTimeout</c> bounds every call instead.
    /// </summary>
    public async Task<DeliveryOutcome> SendAsync(HipChatCall call, InstallationSnapshot installation)
    {
        try
        {
            var api = hipChat.For(installation.Endpoints.ApiBaseUrl);
            var token = await TokenAsync(installation, rejected: null);
            var response = await CallAsync(api, call, token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                // A token can be revoked before it expires: drop it, fetch a new one and try once more.
                response.Dispose();
                token = await TokenAsync(installation, rejected: token);
                response = await CallAsync(api, call, token);
            }

            using (response)
            {
                var error = response.IsSuccessStatusCode ? null : await ErrorMessageAsync(response);
                return policy.Judge(call, response.StatusCode, response.Headers, error);
            }
        }
        catch (HipChatCredentialsRefusedException exception)
        {
            return DeliveryOutcome.CredentialsRefused(exception.Message);
        }
        catch (HipChatUnavailableException exception)
        {
            var limited = exception.InnerException as ApiException;
            var retryAt = limited?.StatusCode == HttpStatusCode.TooManyRequests ? policy.RetryAt(limited.Headers) : null;
            return DeliveryOutcome.Retry(
                $"HipChat's token endpoint: {exception.Message}", retryAt ?? policy.Backoff(call.Attempts));
        }
        catch (Exception exception) when (exception is HipChatRejectedException or DomainRuleException)
        {
            return DeliveryOutcome.Dead($"HipChat's token endpoint: {exception.Message}");
        }
        catch (Exception exception) when (exception.Find<OutboundHostRejectedException>() is { } rejected)
        {
            return DeliveryOutcome.Dead(rejected.Message);
        }
        catch (Exception exception) when (exception.Find<HttpRequestException>() is not null
            || exception.Find<TimeoutRejectedException>() is not null
            || exception.Find<OperationCanceledException>() is not null
            || exception.Find<IOException>() is not null)
        {
            return DeliveryOutcome.Retry($"HipChat unreachable ({exception.GetType().Name})", policy.Backoff(call.Attempts));
        }
        catch (Exception exception)
        {
            // Counted like any failure, so a call that always throws ends among the dead letters, not in a loop.
            LogDeliveryFailed(exception, call.Id);
            return DeliveryOutcome.Retry(
                $"Unexpected {exception.GetType().Name} while delivering", policy.Backoff(call.Attempts));
        }
    }

    private Task<string> TokenAsync(InstallationSnapshot installation, string? rejected) =>
        tokens.GetAsync(installation, AccessTokenProvider.DescriptorScopes, rejected, CancellationToken.None);

    private static Task<HttpResponseMessage> CallAsync(IHipChatApi api, HipChatCall call, string token)
    {
        var body = new StringContent(call.Payload, Encoding.UTF8, "application/json");
        var none = CancellationToken.None;
        return call.Kind switch
        {
            HipChatCallKind.RoomNotification => api.SendRoomNotificationAsync(call.RoomId, body, token, none),
            HipChatCallKind.RoomMessage => api.SendRoomMessageAsync(call.RoomId, body, token, none),
            HipChatCallKind.GlanceUpdate => api.UpdateRoomGlanceAsync(call.RoomId, body, token, none),
            _ => throw new InvalidOperationException($"The add-on does not make '{call.Kind}' calls."),
        };
    }

    /// <summary>HipChat explains a refusal in <c>error.message</c> (spec 7.3); operators read it among the dead letters.</summary>
    private static async Task<string?> ErrorMessageAsync(HttpResponseMessage response)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                    ? message.GetString()
                    : null;
        }
        catch (Exception exception) when (exception is JsonException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering call {CallId} to HipChat failed unexpectedly")]
    private partial void LogDeliveryFailed(Exception exception, long callId);
}
