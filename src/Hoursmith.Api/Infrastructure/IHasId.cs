namespace Hoursmith.Api.Infrastructure;

/// <summary>Rows with a time-ordered (UUIDv7) id: id order is creation order, and id breaks every sort's ties.</summary>
public interface IHasId
{
    Guid Id { get; }
}
