using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Infrastructure.Auth;

namespace Hoursmith.Api.Infrastructure.Json;

/// <summary>The API's JSON rules, applied once to every request and response body.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        // Numbers are numbers: "42" in a numeric field is a client mistake (400), and the schema says so.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new DecimalStringConverter());
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(MoneyBlindness.Modify);
    }

    /// <summary>After authorization: a Member's request never serializes a money field.</summary>
    public static IApplicationBuilder UseMoneyBlindness(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Features.Get<Caller>()?.Role == Role.Member)
        {
            MoneyBlindness.Activate();
        }

        await next(context);
    });
}
