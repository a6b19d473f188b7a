using System.Collections.Concurrent;
using System.Security.Cryptography;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Hoursmith.Api.Infrastructure.Auth;

/// <summary>The result of checking an <c>Authorization</c> header: a caller, or why not.</summary>
public readonly record struct AuthenticationOutcome(Caller? Caller, string? Failure, bool TokenPresented)
{
    public static AuthenticationOutcome Missing { get; } =
        new(null, "Missing Authorization header. Send Authorization: Bearer hsk_…", TokenPresented: false);
}

/// <summary>
/// Turns an <c>Authorization</c> header into a <see cref="Caller"/>, in the order of auth.md: the
/// header's shape and the token's shape are checked before any database work; then one indexed
/// query by prefix reads the token, its member and workspace (or <see cref="TokenRows"/> has it from
/// an earlier request, while the database is unchanged); then a constant-time hash compare. A
/// revocation, removal, role or plan change made by any process is honoured on the very next request.
/// </summary>
public sealed class TokenAuthenticator(HoursmithDb db, IOptions<HoursmithOptions> options, TimeProvider time, TokenAuthenticator.TokenRows rows)
{
    internal const string InvalidToken = "Invalid token. Check that it was copied whole; a lost token cannot be recovered, mint a new one.";

    /// <summary>last_used_at is written at most this often per token, so reads stay reads.</summary>
    private static readonly TimeSpan s_lastUsedResolution = TimeSpan.FromMinutes(1);

    // Compared against on unknown prefixes so a miss costs the same as a wrong secret.
    private static readonly byte[] s_decoyHash = TokenFormat.HashSecret("decoy-secret-never-issued-000000");

    private static readonly Func<HoursmithDb, string, CancellationToken, Task<TokenRow?>> s_findByPrefix =
        EF.CompileAsyncQuery((HoursmithDb db, string prefix, CancellationToken _) => db.ApiTokens
            .Where(t => t.Prefix == prefix)
            .Select(t => new TokenRow(
                t.Id, t.Name, t.Prefix, t.Environment, t.SecretHash, t.LastUsedAt, t.ExpiresAt, t.RevokedAt,
                t.Member.Id, t.Member.Name, t.Member.Email, t.Member.Role, t.Member.RemovedAt,
                t.Workspace.Id, t.Workspace.Name, t.Workspace.Plan, t.Workspace.PlanStatus))
            .FirstOrDefault());

    public async ValueTask<AuthenticationOutcome> AuthenticateAsync(StringValues authorization, CancellationToken cancellationToken)
    {
        if (!TryReadCredential(authorization, options.Value.TokenEnvironment, out var credential, out var failure))
        {
            return failure;
        }

        var row = await rows.FindAsync(db, credential.Prefix, cancellationToken);
        if (row is null)
        {
            CryptographicOperations.FixedTimeEquals(credential.SecretHash, s_decoyHash);
            return Fail(InvalidToken);
        }

        if (!CryptographicOperations.FixedTimeEquals(credential.SecretHash, row.SecretHash) || row.Environment != credential.Environment)
        {
            return Fail(InvalidToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (row.RevokedAt is not null)
        {
            return Fail("This token has been revoked. Mint a new one.");
        }

        if (row.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return Fail($"This token expired at {expiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'}. Mint a new one.");
        }

        if (row.MemberRemovedAt is not null)
        {
            return Fail("The member who minted this token was removed from the workspace; their tokens no longer work.");
        }

        if (row.LastUsedAt is null || now - row.LastUsedAt.Value >= s_lastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        var caller = new Caller(row.Id, row.Name, row.Prefix, row.Environment, row.MemberId, row.MemberName, row.MemberEmail,
            row.Role, row.WorkspaceId, row.WorkspaceName, row.Plan, row.PlanStatus);
        return new AuthenticationOutcome(caller, null, TokenPresented: true);
    }

    /// <summary>Everything that needs no database: the header's scheme, the token's shape and environment.</summary>
    private static bool TryReadCredential(StringValues authorization, TokenEnvironment expected, out Credential credential, out AuthenticationOutcome failure)
    {
        credential = default;
        failure = default;
        if (authorization.Count == 0 || string.IsNullOrWhiteSpace(authorization[0]))
        {
            failure = AuthenticationOutcome.Missing;
            return false;
        }

        if (authorization.Count > 1)
        {
            failure = Fail("Send exactly one Authorization header.");
            return false;
        }

        var header = authorization[0].AsSpan().Trim();
        var space = header.IndexOf(' ');
        var scheme = space < 0 ? header : header[..space];
        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            failure = new AuthenticationOutcome(null, "Unsupported authorization scheme. Send Authorization: Bearer hsk_…", TokenPresented: false);
            return false;
        }

        var token = space < 0 ? [] : header[(space + 1)..];
        if (!TokenFormat.TryParse(token, out var environment, out var prefix, out var secret))
        {
            failure = Fail("Malformed token. Expected Authorization: Bearer hsk_<env>_<prefix>_<secret>.");
            return false;
        }

        if (environment != expected)
        {
            failure = Fail($"This is a {TokenFormat.EnvironmentName(environment)} token; this server accepts {TokenFormat.EnvironmentName(expected)} tokens.");
            return false;
        }

        credential = new Credential(environment, prefix.ToString(), TokenFormat.HashSecret(secret));
        return true;
    }

    private static AuthenticationOutcome Fail(string message) => new(null, message, TokenPresented: true);

    private readonly record struct Credential(TokenEnvironment Environment, string Prefix, byte[] SecretHash);

    /// <summary>
    /// Token rows as last read, each with the <see cref="DatabaseVersion"/> read before it: while the
    /// version is unchanged nothing was committed since, so the row is what the query would return.
    /// Any commit anywhere (a new time entry too) sends the next request back to the query. Only the
    /// secret's hash is kept, never the secret. Where there is no version (PostgreSQL) every request queries.
    /// </summary>
    public sealed class TokenRows(DatabaseVersion version)
    {
        /// <summary>A bound on memory per reader; past it the rows are dropped and read again as they are used.</summary>
        private const int MaxRows = 10_000;

        // One map per version reader: each reader numbers commits on its own.
        private readonly ConcurrentDictionary<string, (long Version, TokenRow Row)>[] _rows =
            [.. Enumerable.Range(0, DatabaseVersion.MaxReaders + 1).Select(_ => new ConcurrentDictionary<string, (long, TokenRow)>(StringComparer.Ordinal))];

        internal async ValueTask<TokenRow?> FindAsync(HoursmithDb db, string prefix, CancellationToken cancellationToken)
        {
            // Read before the row: a commit between the two leaves a newer row under an older version, which the next request refreshes.
            var observed = version.Read(db);
            if (observed is { } seen && _rows[seen.Reader].TryGetValue(prefix, out var kept) && kept.Version == seen.Version)
            {
                return kept.Row;
            }

            var row = await s_findByPrefix(db, prefix, cancellationToken);
            if (observed is { } readAt && row is not null)
            {
                var rows = _rows[readAt.Reader];
                if (rows.Count >= MaxRows)
                {
                    rows.Clear();
                }

                rows[prefix] = (readAt.Version, row);
            }

            return row;
        }
    }

    internal sealed record TokenRow(
        Guid Id, string Name, string Prefix, TokenEnvironment Environment, byte[] SecretHash,
        DateTime? LastUsedAt, DateTime? ExpiresAt, DateTime? RevokedAt,
        Guid MemberId, string MemberName, string MemberEmail, Role Role, DateTime? MemberRemovedAt,
        Guid WorkspaceId, string WorkspaceName, Plan Plan, PlanStatus PlanStatus);
}
