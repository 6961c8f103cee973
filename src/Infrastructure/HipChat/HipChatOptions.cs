using System.ComponentModel.DataAnnotations;

namespace CleanAddon.Infrastructure.HipChat;

public sealed class HipChatOptions : IValidatableObject
{
    public const string SectionName = "HipChat";

    /// <summary>HipChat Cloud's hosts, allowed when configuration names none.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedHosts = ["api.hipchat.com", "www.hipchat.com"];

    /// <summary>Hosts the add-on may call or send a browser to; compared literally, case-insensitively, port ignored.</summary>
    [MinLength(1, ErrorMessage = "HipChat:AllowedHosts must name at least one host.")]
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>
    /// CA certificates trusted for one host in addition to the system's, for HipChat Servers with a private CA:
    /// host name → path of a PEM file holding one or more certificates.
    /// </summary>
    public IDictionary<string, string> TrustedCertificates { get; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Upper bound of one synchronous call to HipChat (install, uninstall, token, delivery).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var host in AllowedHosts)
        {
            if (Uri.CheckHostName(host?.Trim().Trim('[', ']')) == UriHostNameType.Unknown)
            {
                yield return new ValidationResult(
                    $"HipChat:AllowedHosts holds '{host}', which is not a host name or address.", [nameof(AllowedHosts)]);
            }
        }
    }
}
