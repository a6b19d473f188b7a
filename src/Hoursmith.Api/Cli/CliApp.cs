using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hoursmith.Api.Administration;
using Hoursmith.Api.Data;
using Hoursmith.Api.Data.Entities;
using Hoursmith.Api.Features.Invoices;
using Hoursmith.Api.Features.Tokens;
using Hoursmith.Api.Infrastructure;
using Hoursmith.Api.Infrastructure.Auth;
using Hoursmith.Api.Infrastructure.Http;
using Hoursmith.Api.Infrastructure.Json;
using Hoursmith.Api.Mcp;
using Hoursmith.Api.Web;
using Microsoft.Extensions.Options;

namespace Hoursmith.Api.Cli;

/// <summary>
/// The administration CLI of operations.md. JSON goes to stdout alone; a refusal is one line on
/// stderr with exit code 2 (bad arguments) or 1 (missing entity, conflict). It works on the same
/// database as the server, which sees its changes on the next request.
/// </summary>
public static class CliApp
{
    private const int UsageError = 2;
    private const int Failure = 1;

    private static readonly JsonSerializerOptions s_json = CreateJsonOptions();

    // The API's JSON rules (money as decimal strings), indented for people.
    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        ApiJson.Configure(options);
        return options;
    }

    /// <summary>
    /// No arguments, <c>serve</c>, or only host options such as <c>--urls</c>: run the server. Help
    /// (<c>serve --help</c>) is the CLI's to print, never a reason to start a server.
    /// </summary>
    public static bool IsServeCommand(string[] args, out string[] serverArgs)
    {
        serverArgs = args is ["serve", .. var rest] ? rest : args;
        if (args.Any(a => a is "--help" or "-h" or "-?" or "--version"))
        {
            return false;
        }

        return args.Length == 0 || args[0] == "serve" || args[0].StartsWith("--", StringComparison.Ordinal);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildCommands();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Every parse error on stderr, each with System.CommandLine's "did you mean" for a mistyped name;
            // no help text after them (it would bury the error), and the usage exit code.
            // A mistyped name also leaves "required command" and one error per word after it: the first
            // unrecognised word is the one that matters.
            var errors = parsed.UnmatchedTokens.Count > 0
                ? parsed.Errors.Where(e => e.Message.Contains($"'{parsed.UnmatchedTokens[0]}'", StringComparison.Ordinal)).Take(1)
                : parsed.Errors;
            foreach (var error in errors)
            {
                var message = string.Join(' ', error.Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                await Console.Error.WriteLineAsync($"error: {InOurWords(message)}");
            }

            if (parsed.Action is System.CommandLine.Invocation.ParseErrorAction errorAction)
            {
                errorAction.ShowHelp = false;
                errorAction.ShowTypoCorrections = true;
                var suggestions = new StringWriter();
                var config = new InvocationConfiguration { Output = suggestions, Error = TextWriter.Null };
                await parsed.InvokeAsync(config);
                foreach (var line in suggestions.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    await Console.Error.WriteLineAsync(line);
                }
            }

            await Console.Error.WriteLineAsync($"Run '{string.Join(' ', CommandPath(parsed))} --help' for usage.");
            return UsageError;
        }

        return await parsed.InvokeAsync();
    }

    /// <summary>
    /// The library names the .NET type a value failed to parse as (<c>System.Nullable`1[System.DateOnly]</c>);
    /// an operator needs the format instead.
    /// </summary>
    internal static string InOurWords(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\\.$");
        if (!match.Success)
        {
            return message;
        }

        var type = match.Groups["type"].Value;
        var expected = type.Contains("DateOnly", StringComparison.Ordinal) ? "a date (YYYY-MM-DD)"
            : type.Contains("Guid", StringComparison.Ordinal) ? "an id (a UUID, as workspaces list and members list print them)"
            : type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Decimal", StringComparison.Ordinal) ? "a number such as 100.00"
            : "a valid value";
        return $"{match.Groups["option"].Value} must be {expected}, not '{match.Groups["value"].Value}'.";
    }

    /// <summary>The program and the commands the user got right, for the help hint.</summary>
    private static List<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "Hoursmith.Api" : result.Command.Name);
        }

        return names;
    }

    private static RootCommand BuildCommands()
    {
        var root = new RootCommand("Hoursmith API server and administration. Run with no command (or 'serve') to start the server.");

        var serve = new Command("serve", "Runs the HTTP server (the default).") { new Option<string>("--urls") { Description = "Addresses to listen on, e.g. http://127.0.0.1:5080" } };
        root.Subcommands.Add(serve);

        var workspaces = new Command("workspaces", "Create and list workspaces and change their plans.");
        root.Subcommands.Add(workspaces);
        {
            var name = Required<string>("--name", "Workspace name.");
            var plan = PlanOption(required: true);
            var ownerEmail = Required<string>("--owner-email", "The Owner's email.");
            var ownerName = new Option<string>("--owner-name") { Description = "The Owner's name (default: from the email)." };
            var currency = new Option<string>("--currency") { Description = "ISO 4217 code (default USD)." };
            var create = new Command("create", "Creates a workspace and its Owner.") { name, plan, ownerEmail, ownerName, currency };
            create.SetAction((parsed, ct) => Execute(async (admin, _) =>
            {
                var (workspace, owner) = await admin.CreateWorkspaceAsync(parsed.GetValue(name)!, ParsePlan(parsed.GetValue(plan))!.Value,
                    parsed.GetValue(ownerEmail)!, parsed.GetValue(ownerName), parsed.GetValue(currency), ct);
                return new { workspaceId = workspace.Id, ownerMemberId = owner.Id };
            }));
            workspaces.Subcommands.Add(create);
        }
        {
            var workspace = WorkspaceOption();
            var plan = PlanOption(required: false);
            var status = new Option<string>("--status") { Description = "active or lapsed." };
            status.AcceptOnlyFromAmong("active", "lapsed");
            var setPlan = new Command("set-plan", "Changes a workspace's plan or marks it lapsed.") { workspace, plan, status };
            setPlan.SetAction((parsed, ct) => Execute(async (admin, _) =>
            {
                var newStatus = parsed.GetValue(status) switch { "active" => PlanStatus.Active, "lapsed" => PlanStatus.Lapsed, _ => (PlanStatus?)null };
                var newPlan = ParsePlan(parsed.GetValue(plan));
                if (newPlan is null && newStatus is null)
                {
                    throw new AdministrationException("Give --plan, --status or both.", isInvalidInput: true);
                }

                return CliViews.Of(await admin.SetPlanAsync(parsed.GetValue(workspace), newPlan, newStatus, ct));
            }));
            workspaces.Subcommands.Add(setPlan);
        }
        {
            var list = new Command("list", "Lists every workspace with its plan, status and Owner.");
            list.SetAction((parsed, ct) => Execute(async (admin, _) =>
                (await admin.ListWorkspacesAsync(ct)).Select(row => CliViews.Listed(row.Workspace, row.Owner)).ToList<object>()));
            workspaces.Subcommands.Add(list);
        }

        var members = new Command("members", "Add, list and remove members, change roles, make sign-in links.");
        root.Subcommands.Add(members);
        {
            var workspace = WorkspaceOption();
            var email = Required<string>("--email", "The member's email.");
            var name = Required<string>("--name", "The member's name.");
            var role = RoleOption();
            var add = new Command("add", "Adds a member.") { workspace, email, name, role };
            add.SetAction((parsed, ct) => Execute(async (admin, _) =>
            {
                var member = await admin.AddMemberAsync(parsed.GetValue(workspace), parsed.GetValue(email)!, parsed.GetValue(name)!, ParseRole(parsed.GetValue(role)!), ct);
                return new { memberId = member.Id };
            }));
            members.Subcommands.Add(add);
        }
        {
            var workspace = WorkspaceOption();
            var member = MemberOption();
            var role = RoleOption();
            var setRole = new Command("set-role", "Changes a member's role; their tokens act with it from the next request.") { workspace, member, role };
            setRole.SetAction((parsed, ct) => Execute(async (admin, _) =>
                CliViews.Of(await admin.SetRoleAsync(parsed.GetValue(workspace), parsed.GetValue(member), ParseRole(parsed.GetValue(role)!), ct))));
            members.Subcommands.Add(setRole);
        }
        {
            var workspace = WorkspaceOption();
            var member = MemberOption();
            var remove = new Command("remove", "Removes a member; their tokens stop working at once.") { workspace, member };
            remove.SetAction((parsed, ct) => Execute(async (admin, _) =>
                CliViews.Of(await admin.RemoveMemberAsync(parsed.GetValue(workspace), parsed.GetValue(member), ct))));
            members.Subcommands.Add(remove);
        }
        {
            var workspace = WorkspaceOption();
            var list = new Command("list", "Lists the workspace's members.") { workspace };
            list.SetAction((parsed, ct) => Execute(async (admin, _) =>
                (await admin.ListMembersAsync(parsed.GetValue(workspace), ct)).Select(CliViews.Listed).ToList<object>()));
            members.Subcommands.Add(list);
        }
        {
            var workspace = WorkspaceOption();
            var member = MemberOption();
            var minutes = new Option<int>("--minutes") { Description = $"How long the link works, 1 to {SignInLinks.MaxMinutes} (default {SignInLinks.DefaultMinutes}).", DefaultValueFactory = _ => SignInLinks.DefaultMinutes };
            var signInLink = new Command("sign-in-link", "Prints a one-time link that signs this member into the web pages (Settings → API).") { workspace, member, minutes };
            signInLink.SetAction((parsed, ct) => Execute(async (_, services) =>
            {
                var link = await services.GetRequiredService<SignInLinks>().CreateAsync(parsed.GetValue(workspace), parsed.GetValue(member), parsed.GetValue(minutes), createdBy: null, ct);
                var baseUrl = PublicAddress.Resolve(services.GetRequiredService<IOptions<HoursmithOptions>>().Value.PublicBaseUrl,
                    PublicAddress.Configured(services.GetRequiredService<IConfiguration>()));
                return new { url = link.UrlOn(baseUrl), expiresAt = link.ExpiresAt };
            }));
            members.Subcommands.Add(signInLink);
        }

        var tokens = new Command("tokens", "Mint, list and revoke API tokens.");
        root.Subcommands.Add(tokens);
        {
            var workspace = WorkspaceOption();
            var member = MemberOption();
            var name = Required<string>("--name", "What the token is for, e.g. \"Zapier\".");
            var env = new Option<string>("--env") { Description = "live or test (default: this server's token environment)." };
            env.AcceptOnlyFromAmong("live", "test");
            var expires = new Option<DateOnly?>("--expires") { Description = "Last day (UTC) the token works, YYYY-MM-DD." };
            var mint = new Command("mint", "Mints a token for a member. The token is printed once and can never be shown again.") { workspace, member, name, env, expires };
            mint.SetAction((parsed, ct) => Execute(async (admin, services) =>
            {
                var environment = TokenFormat.TryParseEnvironment(parsed.GetValue(env), out var chosen)
                    ? chosen
                    : services.GetRequiredService<IOptions<HoursmithOptions>>().Value.TokenEnvironment;
                var minted = await admin.MintTokenAsync(parsed.GetValue(workspace), parsed.GetValue(member), parsed.GetValue(name)!, environment, parsed.GetValue(expires), ct);
                return new { token = minted.Token, id = minted.Record.Id, prefix = minted.Record.Prefix };
            }));
            tokens.Subcommands.Add(mint);
        }
        {
            var workspace = WorkspaceOption();
            var member = new Option<Guid?>("--member") { Description = "Only this member's tokens." };
            var list = new Command("list", "Lists tokens (never secrets).") { workspace, member };
            list.SetAction((parsed, ct) => Execute(async (admin, services) =>
            {
                var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
                var found = await admin.ListTokensAsync(parsed.GetValue(workspace), parsed.GetValue(member), ct);
                return found.Select(t => TokenView.From(t, now)).ToList();
            }));
            tokens.Subcommands.Add(list);
        }
        {
            var prefix = Required<string>("--prefix", "The token's public prefix (the 12 characters after hsk_<env>_).");
            var revoke = new Command("revoke", "Revokes a token; it stops working on the next request.") { prefix };
            revoke.SetAction((parsed, ct) => Execute(async (admin, services) =>
            {
                var token = await admin.RevokeTokenAsync(parsed.GetValue(prefix)!, ct);
                return TokenView.From(token, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
            }));
            tokens.Subcommands.Add(revoke);
        }

        var invoices = new Command("invoices", "Create, send, record payments on, cancel and delete (drafts) invoices.");
        root.Subcommands.Add(invoices);
        {
            var workspace = WorkspaceOption();
            var client = Required<Guid>("--client", "Client id.");
            var from = new Option<DateOnly?>("--from") { Description = "First entry date to gather, YYYY-MM-DD (inclusive)." };
            var to = new Option<DateOnly?>("--to") { Description = "Last entry date to gather, YYYY-MM-DD (inclusive)." };
            var noExpenses = new Option<bool>("--no-expenses") { Description = "Leave the client's expenses out." };
            var discount = new Option<string>("--discount") { Description = "Before tax: an amount (50.00) or a percentage of the subtotal (10%)." };
            var taxRate = new Option<string>("--tax-rate") { Description = "Percent, e.g. 20 (default: the client's defaultTaxRate)." };
            var due = new Option<DateOnly?>("--due") { Description = "Due date, YYYY-MM-DD (default: today + the client's payment terms)." };
            var create = new Command("create", "Builds a DRAFT from the client's billable, un-invoiced time and expenses; they are locked from now on.")
            {
                workspace, client, from, to, noExpenses, discount, taxRate, due,
            };
            create.SetAction((parsed, ct) => ExecuteInvoicing(async invoicing => await invoicing.CreateAsync(new NewInvoice(
                parsed.GetValue(workspace), parsed.GetValue(client), parsed.GetValue(from), parsed.GetValue(to), !parsed.GetValue(noExpenses),
                parsed.GetValue(discount) is { } text
                    ? InvoiceDiscount.Parse(text) ?? throw new AdministrationException("--discount must be an amount such as 50.00 or a percentage such as 10%.", isInvalidInput: true)
                    : null,
                ParseDecimal(parsed.GetValue(taxRate), "--tax-rate"), parsed.GetValue(due)), ct)));
            invoices.Subcommands.Add(create);
        }
        {
            var invoice = InvoiceOption();
            var send = new Command("send", "DRAFT → SENT within the plan's monthly limit; freezes the bill-to name and prices.") { invoice };
            send.SetAction((parsed, ct) => ExecuteInvoicing(invoicing => invoicing.SendAsync(parsed.GetValue(invoice), ct)));
            invoices.Subcommands.Add(send);
        }
        {
            var invoice = InvoiceOption();
            var amount = Required<string>("--amount", "The amount received, e.g. 250.00; the full balance marks the invoice PAID.");
            var pay = new Command("pay", "Records a payment on a sent invoice.") { invoice, amount };
            pay.SetAction((parsed, ct) => ExecuteInvoicing(invoicing => invoicing.PayAsync(parsed.GetValue(invoice), ParseDecimal(parsed.GetValue(amount), "--amount")!.Value, ct)));
            invoices.Subcommands.Add(pay);
        }
        {
            var invoice = InvoiceOption();
            var amount = Required<string>("--amount", "The amount that was attempted, e.g. 250.00.");
            var reason = new Option<string?>("--reason") { Description = "Why it failed, e.g. \"card declined\"." };
            var failed = new Command("payment-failed", "Records a failed payment attempt on a sent invoice (the invoice is unchanged; sends invoice.payment_failed).") { invoice, amount, reason };
            failed.SetAction((parsed, ct) => ExecuteInvoicing(invoicing => invoicing.RecordFailedPaymentAsync(
                parsed.GetValue(invoice), ParseDecimal(parsed.GetValue(amount), "--amount")!.Value, parsed.GetValue(reason), ct)));
            invoices.Subcommands.Add(failed);
        }
        {
            var invoice = InvoiceOption();
            var cancel = new Command("cancel", "Cancels a draft or sent invoice and releases its time entries and expenses; the number is kept.") { invoice };
            cancel.SetAction((parsed, ct) => ExecuteInvoicing(invoicing => invoicing.CancelAsync(parsed.GetValue(invoice), ct)));
            invoices.Subcommands.Add(cancel);
        }
        {
            var invoice = InvoiceOption();
            var delete = new Command("delete", "Deletes a draft (it keeps its number and is listed with includeDeleted=true) and releases its time entries and expenses.") { invoice };
            delete.SetAction((parsed, ct) => ExecuteInvoicing(invoicing => invoicing.DeleteDraftAsync(parsed.GetValue(invoice), ct)));
            invoices.Subcommands.Add(delete);
        }

        var migrate = new Command("migrate", "Applies database migrations and exits.");
        migrate.SetAction((parsed, ct) => Execute(async (_, services) =>
        {
            var db = services.GetRequiredService<HoursmithDb>();
            var applied = await DatabaseSetup.MigrateAsync(db, ct);
            return new { provider = db.Database.ProviderName, applied };
        }, migrateFirst: false));
        root.Subcommands.Add(migrate);

        var mcp = new Command("mcp", $"Runs the MCP server on stdio for one token: {McpStdio.TokenVariable} (hsk_…) and {McpStdio.UrlVariable} (default {HoursmithServices.DefaultUrls}). Only MCP messages go to stdout; logs go to stderr.");
        mcp.SetAction((_, ct) => McpStdio.RunAsync(ct));
        root.Subcommands.Add(mcp);

        return root;
    }

    /// <summary>Runs one command against the configured database and prints its JSON result.</summary>
    private static async Task<int> Execute(Func<WorkspaceAdministration, IServiceProvider, Task<object>> work, bool migrateFirst = true)
    {
        try
        {
            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<HoursmithDb>();
            if (migrateFirst && DatabaseSetup.MigratesOnStart(db))
            {
                await DatabaseSetup.MigrateAsync(db);
            }

            var result = await work(services.GetRequiredService<WorkspaceAdministration>(), services);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, s_json));
            return 0;
        }
        catch (AdministrationException refused)
        {
            await Console.Error.WriteLineAsync($"error: {refused.Message}");
            return refused.IsInvalidInput ? UsageError : Failure;
        }
        catch (Exception unexpected) when (unexpected is InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync($"error: {unexpected.GetBaseException().Message}");
            return Failure;
        }
    }

    /// <summary>An invoice operation; prints the invoice with its lines as the API shows it.</summary>
    private static Task<int> ExecuteInvoicing(Func<Invoicing, Task<Invoice>> work) => Execute(async (_, services) =>
    {
        var invoice = await work(services.GetRequiredService<Invoicing>());
        return InvoiceView.From(invoice, DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
    });

    /// <summary>A plain decimal ("20", "250.00"); anything else is a usage error.</summary>
    private static decimal? ParseDecimal(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim();
        return trimmed.Length > 0 && trimmed.All(c => char.IsAsciiDigit(c) || c == '.' || c == '-') &&
               decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new AdministrationException($"{option} must be a number such as 20 or 250.00, not '{text}'.", isInvalidInput: true);
    }

    private static Option<T> Required<T>(string name, string description) => new(name) { Description = description, Required = true };

    private static Option<Guid> WorkspaceOption() => Required<Guid>("--workspace", "Workspace id.");

    private static Option<Guid> MemberOption() => Required<Guid>("--member", "Member id.");

    private static Option<Guid> InvoiceOption() => Required<Guid>("--invoice", "Invoice id.");

    private static Option<string> PlanOption(bool required)
    {
        var plan = new Option<string>("--plan") { Description = "free, studio or agency.", Required = required };
        plan.AcceptOnlyFromAmong("free", "studio", "agency");
        return plan;
    }

    private static Option<string> RoleOption()
    {
        var role = Required<string>("--role", "owner, admin, manager or member.");
        role.AcceptOnlyFromAmong("owner", "admin", "manager", "member");
        return role;
    }

    private static Plan? ParsePlan(string? value) => value is null ? null : Enum.Parse<Plan>(value, ignoreCase: true);

    private static Role ParseRole(string value) => Enum.Parse<Role>(value, ignoreCase: true);
}
