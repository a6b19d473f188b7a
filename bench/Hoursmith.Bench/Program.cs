using System.Globalization;
using System.Text.Json;
using Hoursmith.Bench;

// The generator and raw-SQL timer of bench/list-latency.sh. Every command prints one JSON document
// on stdout (progress goes to stderr), so the script reads it with jq. Every --db PATH (the SQLite
// file) may instead be --postgres CONNECTION-STRING (a PostgreSQL database the CLI migrated); explain is SQLite's.
//
//   seed    --db PATH --workspace ID [--entries 1000000] [--projects 50] [--members 20] [--days 730] [--seed 42] [--rare-rows 200]
//   sql     --db PATH --scenarios FILE [--iterations 2000] [--max-seconds 20] [--only NAME] [--sql-file FILE (an ad-hoc query instead)]
//   explain --db PATH --scenarios FILE --sql-dir DIR [--iterations 2000] [--max-seconds 20]
//   floor-server --db PATH --scenarios FILE --urls URL   (serves GET /floor/{scenario} until stopped; see FloorServer)
//   bare    --urls URL   (serves GET /bare, a small JSON object, until stopped; see BareServer)
//   inproc  --db PATH --scenarios FILE --member ID --queries FILE (name TAB query string per line) [--only NAME] [--iterations 2000] [--max-seconds 20]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Hoursmith.Bench seed|sql|explain --db PATH ... (see bench/README.md)");
    return 2;
}

try
{
    var options = Options.Parse(args[1..]);
    object result = args[0] switch
    {
        "seed" => await Seeder.RunAsync(options),
        "sql" => SqlBench.Run(options),
        "explain" => EfSqlBench.Run(options),
        "inproc" => await InProcBench.RunAsync(options),
        "floor-server" => await FloorServer.RunAsync(options),
        "bare" => await BareServer.RunAsync(options),
        _ => throw new ArgumentException($"unknown command '{args[0]}'"),
    };
    Console.Out.WriteLine(JsonSerializer.Serialize(result, Json.Options));
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

namespace Hoursmith.Bench
{
    internal static class Json
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    }

    /// <summary><c>--name value</c> pairs.</summary>
    internal sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
                }

                options._values[args[i][2..]] = args[i + 1];
            }

            return options;
        }

        public string Required(string name) =>
            _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

        public string? Optional(string name) => _values.GetValueOrDefault(name);

        public int Int(string name, int fallback) =>
            _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        public double Double(string name, double fallback) =>
            _values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

        public Guid Guid(string name) => System.Guid.Parse(Required(name));
    }
}
