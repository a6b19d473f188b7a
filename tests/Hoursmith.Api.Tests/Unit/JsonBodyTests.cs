using System.Text.Json;
using Hoursmith.Api.Features.Clients;
using Hoursmith.Api.Infrastructure.Json;

namespace Hoursmith.Api.Tests.Unit;

/// <summary>How <see cref="JsonBody{T}"/> tells a sent field from an omitted one, by the property a lambda names.</summary>
public class JsonBodyTests
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private static JsonBody<ClientInput> Body(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonBody<ClientInput>.Read(document.RootElement, s_json);
    }

    [Fact]
    public void A_field_sent_even_as_null_is_there_by_its_json_name_and_an_omitted_one_is_not()
    {
        var body = Body("""{"name":"Acme","contactName":null}""");

        Assert.True(body.Has(sent => sent.Name));
        Assert.True(body.Has(sent => sent.ContactName));
        Assert.True(body.Has(static s => s.ContactName));
        Assert.False(body.Has(sent => sent.Email));
        Assert.False(body.Applies(sent => sent.Email, creating: false));
        Assert.True(body.Applies(sent => sent.Email, creating: true));
        Assert.Equal(["name", "contactName"], body.SentFields);
    }

    [Fact]
    public void Anything_but_a_lambda_reading_one_property_is_refused_by_name()
    {
        var body = Body("""{"name":"Acme"}""");
        Func<ClientInput, string?> name = sent => sent.Name;

        var variable = Assert.Throws<ArgumentException>(() => body.Has(name));
        Assert.Contains("as in sent => sent.Name", variable.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => body.Has(sent => sent.Name!.Length));
        Assert.Throws<ArgumentException>(() => body.Has(sent => sent.ToString()));
        Assert.Throws<ArgumentException>(() => body.Has(other => Body("{}").Value.Name));
    }
}
