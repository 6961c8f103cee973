using System.ComponentModel.DataAnnotations;

namespace CleanAddon.Api;

/// <summary>Who the add-on is and where it lives (configuration section <c>Addon</c>).</summary>
public sealed class AddonOptions : IValidatableObject
{
    public const string SectionName = "Addon";

    /// <summary>Public absolute URL of the add-on, no trailing slash; every descriptor URL is built from it.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("http://localhost:5080");

    [Required]
    [RegularExpression("^[a-zA-Z0-9_.-]{1,40}$", ErrorMessage = "Addon:Key must be 1 to 40 letters, digits, '_', '.' or '-'.")]
    public string Key { get; set; } = "clean-addon";

    [Required]
    [StringLength(100, MinimumLength = 1)]
    public string Name { get; set; } = "Clean Add-on";

    [Required]
    [StringLength(500, MinimumLength = 1)]
    public string Description { get; set; } = "Echoes room messages and counts them in a glance.";

    [Required]
    public string VendorName { get; set; } = "CleanAddon";

    [Required]
    public Uri VendorUrl { get; set; } = new("https://github.com/cleanaddon");

    /// <summary>Shown next to the add-on's notifications.</summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string FromName { get; set; } = "Clean Add-on";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(BaseUrl.Query) || !string.IsNullOrEmpty(BaseUrl.Fragment)
            || BaseUrl.OriginalString.EndsWith('/'))
        {
            yield return new ValidationResult(
                "Addon:BaseUrl must be an absolute http(s) URL without query, fragment or trailing slash.",
                [nameof(BaseUrl)]);
        }
    }

    /// <summary>An absolute URL of the add-on for <paramref name="path"/>, which starts with a slash.</summary>
    public string Url(string path) => BaseUrl.OriginalString + path;
}
