namespace CleanAddon.Domain;

/// <summary>A domain invariant was violated; the message is safe to show to the caller.</summary>
public sealed class DomainRuleException(string message) : Exception(message);
