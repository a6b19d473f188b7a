using System.Globalization;
using System.Text.RegularExpressions;

namespace Hoursmith.Bench;

/// <summary>
/// The SQL the API's EF query actually sent (captured from the server's EF command log, one file per
/// scenario), timed exactly like the floor and explained: it tells the query's own cost (shape,
/// plan, index) apart from what HTTP, authentication, EF and JSON add.
/// </summary>
internal static partial class EfSqlBench
{
    public static object Run(Options options)
    {
        var scenarios = Scenarios.Load(options);
        var directory = options.Required("sql-dir");
        using var connection = Store.From(options, readOnly: true).Open();
        var results = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*.log").OrderBy(f => f, StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var (sql, parameters) = Parse(File.ReadAllText(file));
            var values = Bind(sql, parameters, scenarios.For(name));
            results[name] = SqlBench.Time(connection, sql, values, options);
        }

        return new { databaseVersion = SqlBench.Version(connection), results };
    }

    /// <summary>
    /// An "Executed DbCommand" message: <c>[Parameters=[@a='?' (DbType = Guid), ...], ...]</c>, a
    /// newline, then the SQL. Values are not logged (no sensitive data logging), only names and types.
    /// </summary>
    private static (string Sql, List<(string Name, string Type)> Parameters) Parse(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0 || !message.StartsWith("Executed DbCommand", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("not an EF 'Executed DbCommand' log message");
        }

        var header = message[..newline];
        var parameters = ParameterPattern().Matches(header)
            .Select(m => ("@" + m.Groups["name"].Value.TrimStart('@'), m.Groups["type"].Success ? m.Groups["type"].Value : "String"))
            .ToList();
        return (message[(newline + 1)..].Trim(), parameters);
    }

    /// <summary>
    /// Gives each parameter the scenario's value for what the SQL does with it: the column it is
    /// compared with (and how), the FTS5 query of the search term, the LIMIT.
    /// </summary>
    private static Dictionary<string, object> Bind(string sql, List<(string Name, string Type)> parameters, Scenarios s)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, type) in parameters)
        {
            object? value = null;
            if (Regex.IsMatch(sql, $@"LIMIT {Regex.Escape(name)}\b"))
            {
                // The page's LIMIT comes last; an earlier one bounds a search's walk (ListSearch.WalkBudget: 200 rows per row of a page of 50 + 1).
                value = Regex.Matches(sql, @"LIMIT (@\w+)\b")[^1].Groups[1].Value == name ? 51 : 200 * 51;
            }
            else if (Regex.IsMatch(sql, $@"""TimeEntriesSearch"" MATCH {Regex.Escape(name)}\b"))
            {
                value = s.MatchQuery;
            }
            else if (Regex.IsMatch(sql, $@"instr\(lower\(""t\d*""\.""Note""\), {Regex.Escape(name)}\)"))
            {
                value = s.Folded;
            }
            else if (Regex.Match(sql, $@"""t""\.""(?<column>\w+)"" (?<op>>=|<=|<|>|=) {Regex.Escape(name)}\b") is { Success: true } m)
            {
                value = (m.Groups["column"].Value, m.Groups["op"].Value) switch
                {
                    ("WorkspaceId", "=") => s.WorkspaceId,
                    ("ProjectId", "=") => s.ProjectId,
                    ("EntryDate", ">=") => s.From,
                    ("EntryDate", "<=") => s.To,
                    ("EntryDate", "<" or "=") => s.AfterDate,
                    ("Id", "<") => s.AfterId,
                    _ => null,
                };
            }

            values[name] = value ?? throw new InvalidOperationException($"no scenario value for parameter {name} ({type}) in:\n{sql}");
            var expected = value switch { Guid => "Guid", DateOnly => "Date", int => "Int32", string => "String", _ => "?" };
            if (!string.Equals(expected, type, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"parameter {name} is {type} in the log but was matched to a {expected}"));
            }
        }

        return values;
    }

    // Raw SQL parameters are logged without the @ ("p0='?'").
    [GeneratedRegex(@"(?<name>@?\w+)='\?'(?: \((?:DbType = (?<type>\w+))?[^)]*\))?")]
    private static partial Regex ParameterPattern();
}
