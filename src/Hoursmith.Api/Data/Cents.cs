using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hoursmith.Api.Data;

/// <summary>
/// Two-decimal money (expense amounts, invoice totals) stored as whole cents: an exact integer that
/// every provider compares, orders and indexes in SQL. (EF Core's SQLite provider keeps decimals as
/// text and can neither compare nor order them in the database.) Values with more than two decimals
/// never reach these columns: validation refuses them first.
/// </summary>
internal sealed class CentsConverter() : ValueConverter<decimal, long>(
    amount => decimal.ToInt64(amount * 100m),
    cents => cents / 100m);
