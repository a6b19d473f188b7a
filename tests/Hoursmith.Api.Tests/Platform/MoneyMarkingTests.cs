using System.Reflection;
using System.Text.RegularExpressions;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Tests.Support;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hoursmith.Api.Tests.Platform;

/// <summary>
/// Money-blindness fails closed: every property that could be money on a type any endpoint returns
/// (a decimal, or a name with rate, amount, total, price, fee, paid or budget in it) is marked
/// [Money] (stripped for Members) or [NotMoney] (with a reason), so a new field cannot leak silently.
/// The types are read from the endpoints themselves, not listed here.
/// </summary>
public partial class MoneyMarkingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public void Every_decimal_or_money_named_property_of_a_response_type_is_marked_money_or_not_money()
    {
        var responseTypes = ResponseTypes();
        var unmarked = responseTypes
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => (type, property)))
            .Where(p => LooksLikeMoney(p.property))
            .Where(p => !p.property.IsDefined(typeof(MoneyAttribute), inherit: true) && !p.property.IsDefined(typeof(NotMoneyAttribute), inherit: true))
            .Select(p => $"{p.type.Name}.{p.property.Name}")
            .ToList();

        // The walk reaches the resources (a check that could not fail would prove nothing).
        Assert.Contains(responseTypes, t => t.Name == "ProjectView");
        Assert.Contains(responseTypes, t => t.Name == "InvoiceLineView");
        Assert.True(unmarked.Count == 0, "Mark these [Money] (stripped for Members) or [NotMoney(\"why\")]: " + string.Join(", ", unmarked));
    }

    [Fact]
    public void A_property_is_never_both_money_and_not_money()
    {
        var both = ResponseTypes().SelectMany(t => t.GetProperties())
            .Where(p => p.IsDefined(typeof(MoneyAttribute), inherit: true) && p.IsDefined(typeof(NotMoneyAttribute), inherit: true))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

        Assert.Empty(both);
    }

    [Theory]
    [InlineData("hourlyRate", true)]
    [InlineData("amountPaid", true)]
    [InlineData("subtotal", true)]
    [InlineData("unitPrice", true)]
    [InlineData("fixedFeeAmount", true)]
    [InlineData("budgetHours", true)]
    [InlineData("name", false)]
    [InlineData("durationSeconds", false)]
    [InlineData("createdAt", false)]
    public void Money_names_are_recognized(string name, bool looksLikeMoney) =>
        Assert.Equal(looksLikeMoney, MoneyName().IsMatch(name));

    private static bool LooksLikeMoney(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is { } underlying
            ? underlying == typeof(decimal) || MoneyName().IsMatch(property.Name)
            : property.PropertyType == typeof(decimal) || MoneyName().IsMatch(property.Name);

    /// <summary>Every type of the API's own assembly reachable from an endpoint's declared responses.</summary>
    private HashSet<Type> ResponseTypes()
    {
        var roots = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.OfType<IProducesResponseTypeMetadata>())
            .Select(m => m.Type)
            .OfType<Type>();
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    pending.Push(argument);
                }
            }

            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
            }

            if (type.Assembly != typeof(MoneyAttribute).Assembly || type.IsEnum || !seen.Add(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                pending.Push(property.PropertyType);
            }
        }

        return seen;
    }

    [GeneratedRegex("rate|amount|total|price|fee|paid|budget", RegexOptions.IgnoreCase)]
    private static partial Regex MoneyName();
}
