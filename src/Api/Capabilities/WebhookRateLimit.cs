using System.Globalization;
using System.Threading.RateLimiting;
using CleanAddon.Api.Authentication;
using CleanAddon.Api.ProblemDetails;
using CleanAddon.Infrastructure.Intake;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api.Capabilities;

/// <summary>
/// Each installation's webhooks go through a token bucket of their own (<c>Intake:WebhooksPerMinute</c>, with
/// <c>Intake:WebhookBurst</c> at once), kept in memory so the accept path stays cheap; beyond it they are answered
/// 429 with <c>Retry-After</c>. It runs after authentication, so the installation is the JWT's.
/// </summary>
internal static class WebhookRateLimit
{
    public const string Policy = "webhooks";

    public static IServiceCollection AddWebhookRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
                context.User.FindFirst(HipChatJwtDefaults.IssuerClaim)?.Value is { } oAuthId
                    ? RateLimitPartition.GetTokenBucketLimiter(oAuthId, _ => Bucket(
                        context.RequestServices.GetRequiredService<IOptions<IntakeOptions>>().Value))
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = RejectAsync;
        });

    private static TokenBucketRateLimiterOptions Bucket(IntakeOptions intake)
    {
        // Refilled every second, or one token at a time for rates under one a second.
        var perMinute = intake.WebhooksPerMinute;
        var everySecond = perMinute >= 60;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = intake.WebhookBurst,
            ReplenishmentPeriod = everySecond ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1) / perMinute,
            TokensPerPeriod = everySecond ? (perMinute + 59) / 60 : 1,
            QueueLimit = 0,
        };
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var response = rejected.HttpContext.Response;
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await rejected.HttpContext.RequestServices.GetRequiredService<ProblemWriter>().WriteAsync(
            rejected.HttpContext, ProblemTypes.RateLimited, "This installation sent more webhooks than Intake:WebhooksPerMinute allows.");
    }
}
