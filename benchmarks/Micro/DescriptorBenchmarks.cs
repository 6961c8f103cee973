using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using CleanAddon.Api;
using CleanAddon.Api.Descriptor;
using CleanAddon.Application;
using CleanAddon.Application.Extensibility;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.Micro;

/// <summary>
/// The descriptor of a module with two webhooks and a glance (<see cref="BenchmarkAddon"/>): built from options and
/// the declared capabilities (the add-on does it once), and serialized with the add-on's JSON settings (what every <c>GET /capabilities.json</c> costs).
/// </summary>
[MemoryDiagnoser]
public class DescriptorBenchmarks
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly AddonOptions _options = new();
    private AddonModules _modules = null!;
    private AddonDescriptor _descriptor = null!;

    [GlobalSetup]
    public void SetUp()
    {
        _modules = new ServiceCollection().AddApplication().AddAddonModule<BenchmarkAddon>()
            .BuildServiceProvider().GetRequiredService<AddonModules>();
        _descriptor = DescriptorBuilder.Build(_options, _modules);
    }

    [Benchmark]
    public AddonDescriptor Build() => DescriptorBuilder.Build(_options, _modules);

    [Benchmark]
    public string Serialize() => JsonSerializer.Serialize(_descriptor, Json);
}
