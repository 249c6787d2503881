// What the Node suites of clients/ share when they test against the real services: the stack's addresses and
// tokens from the environment (the clients module's ClientSuitesIT starts the stack and sets them), calls to its
// APIs, a fresh use case with a policy, and a person's verdict given through the review API.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

export const env = process.env;

const needed = ["OVERSIGHT_ROUTER_URL", "OVERSIGHT_REVIEW_URL", "OVERSIGHT_APP", "OVERSIGHT_APP_TOKEN",
  "OVERSIGHT_ADMIN_TOKEN", "OVERSIGHT_REVIEWER_TOKEN"].filter((name) => !env[name]);

/** false when the stack is there; otherwise why the tests that need it are skipped (the IT refuses skips). */
export const skip = needed.length > 0 ? `no running stack (missing ${needed.join(", ")})` : false;

/** One call to a service's API as JSON, with a bearer token: its status and parsed body. */
export async function call(base, token, method, path, body) {
  const response = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`,
    "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

/** A new use case named from prefix, whose policy lets every app in, releases above 0.8 and lists these tools. */
export async function useCaseWithTools(prefix, tools) {
  const useCase = `${prefix}-${randomUUID().slice(0, 8)}`;
  const created = await call(env.OVERSIGHT_ROUTER_URL, env.OVERSIGHT_ADMIN_TOKEN, "PUT",
    `/v1/use-cases/${useCase}/policy`, { apps: ["*"], threshold: 0.8, auditSampleRate: 0, tools });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return useCase;
}

/** Claims the use case's next task (once the router's outbox delivered it) and gives a verdict on it. */
export async function judge(useCase, verdict, fields = {}) {
  const deadline = Date.now() + 30_000;
  let claimed;
  do {
    claimed = await call(env.OVERSIGHT_REVIEW_URL, env.OVERSIGHT_REVIEWER_TOKEN, "POST", "/v1/tasks/claim-next",
      { useCase });
    if (claimed.status === 204) {
      assert.ok(Date.now() < deadline, `a task of ${useCase} reached the review service`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } while (claimed.status === 204);
  assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
  const given = await call(env.OVERSIGHT_REVIEW_URL, env.OVERSIGHT_REVIEWER_TOKEN, "POST",
    `/v1/tasks/${claimed.body.taskId}/verdict`, { leaseToken: claimed.body.leaseToken, verdict, ...fields });
  assert.equal(given.status, 200, JSON.stringify(given.body));
}
