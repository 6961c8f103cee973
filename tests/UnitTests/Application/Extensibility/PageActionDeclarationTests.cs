using CleanAddon.Application.Extensibility;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace CleanAddon.UnitTests.Application.Extensibility;

public sealed class PageActionDeclarationTests
{
    private readonly ServiceCollection _services = new();

    [Fact]
    public void A_page_action_takes_its_form_type_from_its_handler_and_registers_the_handler_and_the_forms_validators()
    {
        var modules = Declare(addon => addon.PageAction<NoteHandler>(HttpMethod.Put, "notes/current"));

        var action = modules.PageActions.Should().ContainSingle().Subject;
        action.Method.Should().Be(HttpMethod.Put);
        action.Path.Should().Be("notes/current");
        action.FormType.Should().Be<NoteForm>();
        _services.Should().Contain(d => d.ServiceType == typeof(NoteHandler) && d.Lifetime == ServiceLifetime.Scoped);
        _services.Should().ContainSingle(d => d.ServiceType == typeof(IValidator<NoteForm>))
            .Which.ImplementationType.Should().Be<NoteValidator>();
    }

    [Fact]
    public void A_leading_slash_is_not_part_of_the_path_and_the_validators_are_registered_once()
    {
        var modules = Declare(addon => addon
            .PageAction<NoteForm>(HttpMethod.Post, "/note", (_, _) => { })
            .PageAction<NoteForm>(HttpMethod.Delete, "note", (_, _, _) => ValueTask.CompletedTask));

        modules.PageActions.Select(a => a.Path).Should().Equal("note", "note");
        _services.Should().ContainSingle(d => d.ServiceType == typeof(IValidator<NoteForm>));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("has space")]
    [InlineData("notes//current")]
    [InlineData("notes/..")]
    [InlineData("notes/current/")]
    [InlineData("ünïcode")]
    public void A_path_that_is_not_segments_of_key_characters_is_refused(string path)
    {
        var declare = () => Declare(addon => addon.PageAction<NoteForm>(HttpMethod.Post, path, (_, _) => { }));

        declare.Should().Throw<AddonDeclarationException>().WithMessage("*path*");
    }

    [Fact]
    public void A_page_action_without_a_body_is_refused()
    {
        var declare = () => Declare(addon => addon.PageAction<NoteForm>(HttpMethod.Get, "note", (_, _) => { }));

        declare.Should().Throw<AddonDeclarationException>().WithMessage("*'note'*POST, PUT, PATCH or DELETE*");
    }

    [Fact]
    public void A_second_page_action_on_the_same_method_and_path_is_refused_whatever_its_case()
    {
        var declare = () => Declare(addon => addon
            .PageAction<NoteForm>(HttpMethod.Post, "note", (_, _) => { })
            .PageAction<NoteForm>(HttpMethod.Post, "Note", (_, _) => { }));

        declare.Should().Throw<AddonDeclarationException>().WithMessage("*'Note'*already answers POST*");
    }

    [Fact]
    public void A_handler_of_two_forms_is_refused_with_its_name()
    {
        var declare = () => Declare(addon => addon.PageAction<TwoFormsHandler>(HttpMethod.Post, "note"));

        declare.Should().Throw<AddonDeclarationException>().WithMessage("*'TwoFormsHandler'*exactly one form type*");
    }

    private AddonModules Declare(Action<AddonModulesBuilder> declare)
    {
        _services.AddAddonModules(declare);
        return (AddonModules)_services.Single(d => d.ServiceType == typeof(AddonModules)).ImplementationInstance!;
    }

    public sealed record NoteForm(string? Text);

    public sealed class NoteValidator : AbstractValidator<NoteForm>
    {
        public NoteValidator() => RuleFor(f => f.Text).NotEmpty();
    }

    private sealed class NoteHandler : IPageActionHandler<NoteForm>
    {
        public ValueTask HandleAsync(NoteForm form, PageActionContext context, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }

    private sealed class TwoFormsHandler : IPageActionHandler<NoteForm>, IPageActionHandler<string>
    {
        public ValueTask HandleAsync(NoteForm form, PageActionContext context, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;

        public ValueTask HandleAsync(string form, PageActionContext context, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }
}
