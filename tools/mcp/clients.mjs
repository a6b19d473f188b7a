// Two independent MCP clients of the Hoursmith MCP server, for McpOtherClientTests:
// the official TypeScript SDK over Streamable HTTP (/mcp) and over stdio (`Hoursmith.Api mcp`).
// Usage: node clients.mjs <server base URL> <token> <path of Hoursmith.Api.dll>
// Prints one JSON object with what each transport answered; the C# test asserts on it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [baseUrl, token, dll] = process.argv.slice(2);

async function exercise(transport) {
  const client = new Client({ name: "hoursmith-ts-check", version: "1.0.0" });
  await client.connect(transport);
  try {
    // listTools also caches the output schemas: callTool then validates structuredContent against them.
    const { tools } = await client.listTools();
    const me = await client.callTool({ name: "get_me", arguments: {} });
    const created = await client.callTool({ name: "create_client", arguments: { name: "TypeScript Ltd", defaultRate: "99.50" } });
    const listed = await client.callTool({ name: "list_clients", arguments: { search: "TypeScript", limit: 5 } });
    const missing = await client.callTool({ name: "get_client", arguments: { id: "01234567-89ab-7cde-8f01-23456789abcd" } });
    return {
      server: client.getServerVersion(),
      tools: tools.map((t) => ({ name: t.name, readOnly: t.annotations?.readOnlyHint ?? null, destructive: t.annotations?.destructiveHint ?? null })),
      me: me.structuredContent,
      created: created.structuredContent,
      listed: listed.structuredContent,
      missing: { isError: missing.isError === true, text: missing.content?.[0]?.text },
    };
  } finally {
    await client.close();
  }
}

const remote = await exercise(new StreamableHTTPClientTransport(new URL("/mcp", baseUrl), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
}));
const stdio = await exercise(new StdioClientTransport({
  command: "dotnet",
  args: [dll, "mcp"],
  env: { ...process.env, HOURSMITH_API_TOKEN: token, HOURSMITH_API_URL: baseUrl },
  stderr: "ignore",
}));
process.stdout.write(JSON.stringify({ remote, stdio }));
