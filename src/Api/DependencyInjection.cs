using System.Text.Json.Serialization;
using CleanAddon.Api.Authentication;
using CleanAddon.Api.ProblemDetails;
using CleanAddon.Api.Capabilities;
using CleanAddon.Api.Pages;
using CleanAddon.Application.Behaviors;
using CleanAddon.Infrastructure.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CleanAddon.Api;

public static class DependencyInjection
{
    /// <summary>Bodies above this are refused by Kestrel itself; endpoints set lower limits of their own.</summary>
    private const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Prints traces to the console when true (appsettings.Development.json sets it).</summary>
    public const string ConsoleTracesKey = "Telemetry:ConsoleTraces";

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AddonOptions>().Bind(configuration.GetSection(AddonOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ProxyOptions>>((forwarded, proxies) => proxies.Value.ApplyTo(forwarded));
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });

        services.AddMediator(options =>
        {
            // Handlers take the scoped DbContext.
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Application.DependencyInjection)];
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>), typeof(InstallationScopeBehavior<,>)];
        });

        services.AddControllers()
            .AddJsonOptions(json => json.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)
            .ConfigureApiBehaviorOptions(api => api.InvalidModelStateResponseFactory = InvalidModelState);
        services.Configure<MvcOptions>(mvc => mvc.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true);

        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            if (context.ProblemDetails.Type?.StartsWith(ProblemType.BaseUri, StringComparison.Ordinal) != true)
            {
                var type = ProblemTypes.ForStatus(status);
                context.ProblemDetails.Type = type.Uri;
                context.ProblemDetails.Title = type.Title;
            }
        });
        services.AddExceptionHandler<ExceptionProblemMapper>();
        services.AddSingleton<ProblemWriter>();
        services.AddSingleton<Descriptor.DescriptorBuilder>();
        services.AddSingleton<PageLayout>();

        services.AddAuthentication(HipChatJwtDefaults.Scheme)
            .AddScheme<HipChatJwtOptions, HipChatJwtAuthenticationHandler>(HipChatJwtDefaults.Scheme, null)
            .AddScheme<HipChatJwtOptions, HipChatJwtAuthenticationHandler>(
                HipChatJwtDefaults.PageScheme, jwt => jwt.Sources = TokenSources.Query)
            .AddScheme<HipChatJwtOptions, HipChatJwtAuthenticationHandler>(
                HipChatJwtDefaults.BackendScheme, jwt => jwt.Sources = TokenSources.Header);
        services.AddAuthorization();
        services.AddRazorComponents();
        services.AddWebhookRateLimit();
        services.AddOpenApi();
        AddTelemetry(services, configuration);
        services.AddCors(cors => cors.AddPolicy(CorsPolicies.HipChatClients, policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET")
            .WithHeaders("Authorization", "Content-Type")));
        return services;
    }

    /// <summary>
    /// Traces (requests, the add-on's own outbox spans, HipChat calls, PostgreSQL commands) and metrics always;
    /// exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and traces printed to the console in
    /// Development. Query strings are redacted by the instrumentation, so <c>signed_request</c> JWTs stay out of spans.
    /// </summary>
    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(AddonTelemetry.Name))
            .WithTracing(tracing =>
            {
                tracing.AddSource(AddonTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (configuration.GetValue<bool>(ConsoleTracesKey))
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(AddonTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            services.AddLogging(logging => logging.AddOpenTelemetry(log =>
            {
                log.IncludeScopes = true;
                log.IncludeFormattedMessage = true;
            }));
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>Body that could not be bound: unreadable JSON is a malformed request, anything else a validation problem.</summary>
    private static ObjectResult InvalidModelState(ActionContext context)
    {
        var unreadable = context.ModelState.Keys.Any(key => key.Length == 0 || key.StartsWith('$'));
        var type = unreadable ? ProblemTypes.MalformedRequest : ProblemTypes.Validation;
        var problem = new ValidationProblemDetails(context.ModelState)
        {
            Type = type.Uri,
            Title = type.Title,
            Status = type.Status,
        };
        return new ObjectResult(problem) { StatusCode = type.Status, ContentTypes = { "application/problem+json" } };
    }
}
