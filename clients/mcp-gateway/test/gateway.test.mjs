// The gateway between the SDK's real MCP client and a small real MCP server, with the real Oversight services
// deciding (the clients module's ClientSuitesIT starts them and passes their addresses and tokens in the
// environment); a person's verdict is given through the review API.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createServer } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { invoiceServer } from "../fixtures/invoices.mjs";
import { env, judge, skip, useCaseWithTools } from "../../typescript/testing/stack.mjs";


const calls = join(mkdtempSync(join(tmpdir(), "gateway-")), "calls.ndjson");
let client;
let useCase;

const reached = () => existsSync(calls)
  ? readFileSync(calls, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];

before(async () => {
  if (skip) return;
  useCase = await useCaseWithTools("mcp", [{ name: "lookup" }, { name: "refund", route: "REVIEW" }]);
  client = new Client({ name: "gateway-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: ["dist/gateway.js",
    "--router", env.OVERSIGHT_ROUTER_URL, "--use-case", useCase, "--model-version", "agent-1", "--confidence", "0.95",
    "--progress-seconds", "1", "--", process.execPath, "fixtures/upstream.mjs"],
    env: { ...env, OVERSIGHT_TOKEN: env.OVERSIGHT_APP_TOKEN, UPSTREAM_CALLS: calls }, stderr: "inherit" }));
});

after(async () => {
  await client?.close();
});

test("the server's tools are listed unchanged", { skip }, async () => {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name), ["lookup", "refund"]);
  assert.deepEqual(tools[1].inputSchema.required, ["invoice", "amount"]);
});

test("a released call goes through at once", { skip }, async () => {
  const result = await client.callTool({ name: "lookup", arguments: { invoice: "INV-7" } });
  assert.equal(result.isError ?? false, false);
  assert.equal(result.content[0].text, "INV-7: paid 120");
  assert.deepEqual(reached().at(-1), { name: "lookup", arguments: { invoice: "INV-7" }, sawToken: false });
});

test("a reviewed call waits with progress, then goes through as approved or as edited", { skip }, async () => {
  const progress = [];
  const options = { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true, timeout: 60_000 };
  const approved = client.callTool({ name: "refund", arguments: { invoice: "INV-8", amount: 30 } }, undefined, options);
  await judge(useCase, "APPROVE");
  assert.equal((await approved).content[0].text, "refunded 30 on INV-8");
  assert.ok(progress.length >= 1 && /review/.test(progress[0].message), JSON.stringify(progress));
  const edited = client.callTool({ name: "refund", arguments: { invoice: "INV-9", amount: 90 } }, undefined, options);
  await judge(useCase, "CORRECT", { rationale: "half until the goods are back",
    correctedOutput: { name: "refund", arguments: { invoice: "INV-9", amount: 45 } } });
  assert.equal((await edited).content[0].text, "refunded 45 on INV-9");
  assert.deepEqual(reached().at(-1), { name: "refund", arguments: { invoice: "INV-9", amount: 45 }, sawToken: false });
});

test("a rejected or blocked call is a tool error with the feedback or the reasons, and never reaches the server",
  { skip }, async () => {
    const before = reached().length;
    const rejected = client.callTool({ name: "refund", arguments: { invoice: "INV-10", amount: 500 } }, undefined,
      { resetTimeoutOnProgress: true, onprogress: () => undefined });
    await judge(useCase, "REJECT", { rationale: "a voucher was already given" });
    const refusal = await rejected;
    assert.equal(refusal.isError, true);
    assert.match(refusal.content[0].text, /a voucher was already given/);
    const blocked = await client.callTool({ name: "delete_invoice", arguments: { invoice: "INV-10" } });
    assert.equal(blocked.isError, true);
    assert.match(blocked.content[0].text, /TOOL_NOT_ALLOWED/);
    assert.equal(reached().length, before);
  });

test("a server reached over Streamable HTTP is fronted the same way, with a use case of its own for one tool",
  { skip }, async () => {
  const httpCalls = join(mkdtempSync(join(tmpdir(), "gateway-http-")), "calls.ndjson");
  // Refunds of this server go to a use case that releases them (the server's own asks a person for every refund).
  const refunds = await useCaseWithTools("mcp-refunds", [{ name: "refund" }]);
  // A stateless Streamable HTTP server: a fresh MCP server and transport per request.
  const http = createServer(async (req, res) => {
    const server = invoiceServer(httpCalls);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => { transport.close(); server.close(); });
    await server.connect(transport);
    let body = "";
    for await (const chunk of req) body += chunk;
    await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
  });
  await new Promise((resolve) => http.listen(0, "localhost", resolve));
  const overHttp = new Client({ name: "gateway-test-http", version: "1.0.0" });
  try {
    await overHttp.connect(new StdioClientTransport({ command: process.execPath, args: ["dist/gateway.js",
      "--router", env.OVERSIGHT_ROUTER_URL, "--use-case", useCase, "--model-version", "agent-1", "--confidence", "0.95",
      "--tool-use-case", `refund=${refunds}`, "--upstream-url", `http://localhost:${http.address().port}/mcp`],
      env: { ...env, OVERSIGHT_TOKEN: env.OVERSIGHT_APP_TOKEN }, stderr: "inherit" }));
    assert.deepEqual((await overHttp.listTools()).tools.map((t) => t.name), ["lookup", "refund"]);
    const result = await overHttp.callTool({ name: "lookup", arguments: { invoice: "INV-20" } });
    assert.equal(result.content[0].text, "INV-20: paid 120");
    const blocked = await overHttp.callTool({ name: "delete_invoice", arguments: { invoice: "INV-20" } });
    assert.equal(blocked.isError, true);
    const refunded = await overHttp.callTool({ name: "refund", arguments: { invoice: "INV-21", amount: 5 } });
    assert.equal(refunded.content[0].text, "refunded 5 on INV-21");
    const reachedHttp = readFileSync(httpCalls, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(reachedHttp, [{ name: "lookup", arguments: { invoice: "INV-20" }, sawToken: false },
      { name: "refund", arguments: { invoice: "INV-21", amount: 5 }, sawToken: false }]);
  } finally {
    await overHttp.close();
    http.close();
  }
});
