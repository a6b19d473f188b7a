using System.Security.Cryptography;
using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Hoursmith.Api.Data;

/// <summary>Named random keys kept in the database: the first process to ask makes one, every later one reads it.</summary>
public static class ServerSecrets
{
    public const string CursorSigning = "cursor-signing";
    private const int KeyBytes = 32;

    /// <summary>
    /// The key called <paramref name="name"/>, created on first use. Synchronous on purpose: it runs
    /// once per process, while a singleton is built. Two processes racing to create it both end up
    /// with the one that was committed first (the name is the primary key).
    /// </summary>
    public static byte[] GetOrCreate(HoursmithDb db, string name, TimeProvider time)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (db.ServerSecrets.AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).FirstOrDefault() is { } existing)
            {
                return existing;
            }

            var secret = new ServerSecret { Name = name, Value = RandomNumberGenerator.GetBytes(KeyBytes), CreatedAt = time.GetUtcNow().UtcDateTime };
            db.ServerSecrets.Add(secret);
            try
            {
                db.SaveChanges();
                return secret.Value;
            }
            catch (DbUpdateException)
            {
                // Another process stored it first: read theirs.
            }
            finally
            {
                db.Entry(secret).State = EntityState.Detached;
            }
        }

        throw new InvalidOperationException($"The server secret '{name}' could neither be read nor created.");
    }
}
