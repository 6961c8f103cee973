using System.Globalization;
using System.Text.RegularExpressions;
using CleanAddon.Application.DeadLetters;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CleanAddon.Api.Operations;

/// <summary>
/// <c>dotnet CleanAddon.Api.dll dead-letters list|retry &lt;webhook|call&gt;:&lt;id&gt;|purge [--older-than 14d]</c>: the operator's view
/// of the dead letters, on the configured database (same configuration sources as the add-on, so other arguments
/// such as <c>--Database:Provider=Postgres</c> still apply). Exit code 0 when done, 1 when it cannot be done, 2 for a
/// usage error; failures are one line on standard error.
/// </summary>
internal static partial class DeadLettersVerb
{
    public const string Name = "dead-letters";

    private const string Usage =
        "usage: dead-letters list [--oauth-id <id>] [--limit <n>] | retry <webhook|call>:<id> | purge [--older-than <age, e.g. 14d>]";

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>Runs the verb on the add-on's services, as <paramref name="addAddon"/> registers them for the host.</summary>
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection, IConfiguration> addAddon)
    {
        if (!TryParse(args[1..], out var run, out var settings) || run is null)
        {
            return await FailAsync(Usage, 2);
        }

        try
        {
            // The same defaults, content root and store as the add-on itself.
            var builder = WebApplication.CreateBuilder(AddonDefaults.HostOptions([.. settings]));
            AddonDefaults.Apply(builder);

            // Standard output carries the answer only, and a failure is one line: the add-on's own warnings go to
            // standard error, the framework's (EF Core logs every failed query with its stack) nowhere.
            builder.Logging.ClearProviders()
                .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddFilter<ConsoleLoggerProvider>((category, level) =>
                    level >= LogLevel.Warning && category?.StartsWith("CleanAddon", StringComparison.Ordinal) == true);
            addAddon(builder.Services, builder.Configuration);
            await using var app = builder.Build();
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            await using var scope = app.Services.CreateAsyncScope();
            return await run(scope.ServiceProvider.GetRequiredService<ISender>(), app.Services);
        }
        catch (ValidationException invalid)
        {
            return await FailAsync(string.Join(" ", invalid.Errors.Select(e => e.ErrorMessage)), 2);
        }
        catch (Exception exception) when (StartupFailure.Describe(exception) is { } reason)
        {
            return await FailAsync(reason, 1);
        }
    }

    /// <summary>Splits the verb's own arguments from the configuration ones; false on a usage error.</summary>
    private static bool TryParse(string[] args, out Func<ISender, IServiceProvider, Task<int>>? run, out List<string> settings)
    {
        run = null;
        settings = [];
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var key, var inline] ? (key, (string?)inline) : (args[i], null);
            if (name is "--oauth-id" or "--limit" or "--older-than")
            {
                value ??= i + 1 < args.Length ? args[++i] : null;
                if (value is null || !options.TryAdd(name, value))
                {
                    return false;
                }
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                settings.Add(args[i]);
                if (value is null && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    settings.Add(args[++i]);
                }
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        run = (positional, options) switch
        {
            (["list"], _) when options.Keys.All(k => k is "--oauth-id" or "--limit") => List(options),
            (["retry", var name], { Count: 0 }) when ParseName(name) is { } id => (sender, _) => RetryAsync(sender, id),
            (["purge"], _) when options.Keys.All(k => k is "--older-than") => Purge(options),
            _ => null,
        };
        return run is not null;
    }

    private static Func<ISender, IServiceProvider, Task<int>>? List(Dictionary<string, string> options)
    {
        var limit = 100;
        if (options.TryGetValue("--limit", out var text)
            && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            return null;
        }

        return async (sender, _) =>
        {
            var deadLetters = await sender.Send(new GetDeadLettersQuery(options.GetValueOrDefault("--oauth-id"), limit));
            await Console.Out.WriteLineAsync("id\tdead_lettered_at\toauth_id\troom_id\twhat\tattempts\tlast_error");
            foreach (var letter in deadLetters)
            {
                await Console.Out.WriteLineAsync(string.Join('\t',
                    letter.Name,
                    letter.DeadLetteredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    letter.OAuthId,
                    letter.RoomId.ToString(CultureInfo.InvariantCulture),
                    letter.What,
                    letter.Attempts.ToString(CultureInfo.InvariantCulture),
                    OneLine(letter.LastError)));
            }

            return 0;
        };
    }

    private static async Task<int> RetryAsync(ISender sender, (DeadLetterKind Kind, long Id) name)
    {
        var (kind, id) = name;
        var shown = $"{kind.ToString().ToLowerInvariant()}:{id.ToString(CultureInfo.InvariantCulture)}";
        if (!await sender.Send(new RetryDeadLetterCommand(kind, id)))
        {
            return await FailAsync($"no dead letter has id {shown}.", 1);
        }

        await Console.Out.WriteLineAsync($"Dead letter {shown} is queued again; a running add-on works it.");
        return 0;
    }

    /// <summary>A dead letter's name as <c>list</c> shows it: <c>webhook:42</c> or <c>call:17</c>.</summary>
    private static (DeadLetterKind Kind, long Id)? ParseName(string name) =>
        name.Split(':') is [var kind, var id]
        && Enum.TryParse<DeadLetterKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
        && !kind.Any(char.IsDigit)
        && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? (parsed, number)
            : null;

    private static Func<ISender, IServiceProvider, Task<int>>? Purge(Dictionary<string, string> options)
    {
        TimeSpan? olderThan = null;
        if (options.TryGetValue("--older-than", out var text))
        {
            if (ParseAge(text) is not { } age)
            {
                return null;
            }

            olderThan = age;
        }

        return async (sender, services) =>
        {
            var age = olderThan ?? services.GetRequiredService<IOptions<Infrastructure.Queues.OutboxOptions>>().Value
                .DeadLetterRetention;
            var purged = await sender.Send(new PurgeDeadLettersCommand(age));
            await Console.Out.WriteLineAsync(
                $"Purged {purged} dead letter(s) older than {age.ToString("c", CultureInfo.InvariantCulture)}.");
            return 0;
        };
    }

    /// <summary>An age as operators write it: <c>14d</c>, <c>36h</c>, <c>90m</c>, <c>30s</c>, or a TimeSpan.</summary>
    private static TimeSpan? ParseAge(string text)
    {
        if (AgeFormat().Match(text) is { Success: true } match)
        {
            var amount = int.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
            return match.Groups["unit"].Value switch
            {
                "d" => TimeSpan.FromDays(amount),
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var age) && age >= TimeSpan.Zero ? age : null;
    }

    private static string OneLine(string? text) => text?.ReplaceLineEndings(" ").Replace('\t', ' ') ?? "";

    private static async Task<int> FailAsync(string reason, int exitCode)
    {
        await Console.Error.WriteLineAsync($"CleanAddon {Name}: {string.Join(' ', reason.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))}");
        return exitCode;
    }

    [GeneratedRegex(@"^(?<amount>[0-9]{1,6})(?<unit>[dhms])\z")]
    private static partial Regex AgeFormat();
}
