using Hoursmith.Api.Infrastructure.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Tests.Unit;

public class RateLimitOptionsTests
{
    private static RateLimitOptions Load(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddRateLimiting(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
    }

    [Fact]
    public void The_defaults_are_the_documented_budgets()
    {
        var options = Load([]);

        Assert.Equal("\"burst\";q=30;w=10, \"sustained\";q=600;w=60", options.ForPlan(Data.Entities.Plan.Studio).Header);
        Assert.Equal("\"burst\";q=60;w=10, \"sustained\";q=1200;w=60", options.ForPlan(Data.Entities.Plan.Agency).Header);
        Assert.Equal("\"sustained\";q=10;w=60", options.ForUnauthenticated().Header);
    }

    [Theory]
    [InlineData("RateLimits:Studio:Burst:Limit", "0")]
    [InlineData("RateLimits:Agency:Sustained:Period", "00:00:00")]
    [InlineData("RateLimits:Unauthenticated:Limit", "-1")]
    [InlineData("RateLimits:Studio:Burst:Limit", "200000000")]
    public void A_budget_that_cannot_refill_is_refused(string key, string value)
    {
        Assert.Throws<OptionsValidationException>(() => Load(new() { [key] = value }));
    }
}
