using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CleanAddon.Infrastructure.Persistence;

internal sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.ToUnixTimeMilliseconds(),
    value => DateTimeOffset.FromUnixTimeMilliseconds(value));
