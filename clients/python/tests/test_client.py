"""The client and the gate against the real services: a person's verdict given through the review API."""

from __future__ import annotations

import base64
import http.server
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from oversight import (BadRequest, Blocked, Conflict, Gate, NotFound, Rejected, WaitTimeout, webhooks)
from oversight.webhooks import InvalidSignature

STEPS = [{"kind": "message", "name": "user", "content": "Refund INV-7"},
         {"kind": "tool_call", "name": "lookup", "content": {"invoice": "INV-7"}},
         {"kind": "tool_result", "name": "lookup", "content": {"paid": 120}}]


def test_a_confident_output_is_released_and_its_decision_reads_back(client, use_case):
    d = client.route(use_case=use_case, model_version="m1", output={"label": "approve"}, confidence=0.95)
    assert (d.route, d.status, d.kind, d.reasons) == ("RELEASE", "RELEASED", "OUTPUT", [])
    read = client.decision(d.decision_id)
    assert read.final and read.final_output == {"label": "approve"} and read.output == {"label": "approve"}


def test_candidate_outputs_ride_along_in_the_shadow_and_are_never_acted_on(client, use_case):
    d = client.route(use_case=use_case, model_version="m1", output={"label": "approve"}, confidence=0.95,
                     shadow=[{"modelVersion": "m2", "output": {"label": "deny"}, "confidence": 0.7}])
    assert d.route == "RELEASE" and client.decision(d.decision_id).final_output == {"label": "approve"}


def test_a_retry_with_the_same_key_returns_the_same_decision(client, use_case):
    key = "py-" + uuid.uuid4().hex
    first = client.route(use_case=use_case, model_version="m1", output=1, confidence=0.9, idempotency_key=key)
    again = client.route(use_case=use_case, model_version="m1", output=1, confidence=0.9, idempotency_key=key)
    assert again.decision_id == first.decision_id and again.replayed and not first.replayed


def test_bad_input_is_a_typed_error_naming_the_fields(client, use_case):
    with pytest.raises(BadRequest) as both:
        client.route(use_case=use_case, model_version="m1", output=1, tool_call={"name": "pay", "arguments": {}},
                     confidence=0.9)
    assert both.value.status == 400 and both.value.fields == ["toolCall"]
    with pytest.raises(BadRequest) as step:
        client.route_tool_call(use_case=use_case, model_version="m1", name="pay", arguments={}, confidence=0.9,
                               trajectory=[{"kind": "thought", "content": "x"}])
    assert step.value.fields == ["trajectory[0].kind"]
    with pytest.raises(BadRequest) as shadows:
        client.route(use_case=use_case, model_version="m1", output=1, confidence=0.9,
                     shadow=[{"modelVersion": f"c{i}", "output": 1, "confidence": 0.5} for i in range(5)])
    assert shadows.value.fields == ["shadow"]
    with pytest.raises(NotFound):
        client.decision(str(uuid.uuid4()))


def test_wait_returns_the_reviewers_outcome_or_times_out(client, use_case, reviewer):
    unsure = client.route(use_case=use_case, model_version="m1", output={"label": "deny"}, confidence=0.3)
    assert unsure.route == "REVIEW" and not unsure.final
    with pytest.raises(WaitTimeout):
        client.wait(unsure.decision_id, timeout=1)
    reviewer.judge(use_case, "CORRECT", correctedOutput={"label": "approve"}, rationale="covered")
    done = client.wait(unsure.decision_id, timeout=30)
    assert done.status == "CORRECTED" and done.final_output == {"label": "approve"}
    assert done.verdicts[0]["verdict"] == "CORRECT"


def test_an_admin_overrides_a_released_output(stack, client, use_case):
    from oversight import Oversight
    released = client.route(use_case=use_case, model_version="m1", output={"label": "approve"}, confidence=0.99)
    with Oversight(stack["OVERSIGHT_ROUTER_URL"], stack["OVERSIGHT_ADMIN_TOKEN"]) as admin_client:
        overridden = admin_client.override(released.decision_id, reason="the claim was withdrawn",
                                           output={"label": "deny"})
    assert overridden.status == "OVERRIDDEN" and overridden.override["reason"] == "the claim was withdrawn"


def gate_for(client, use_case, **options):
    return Gate(client, use_case=use_case, model_version="agent-1", confidence=0.95, wait_timeout=30, **options)


def test_the_gate_runs_a_released_call_at_once_and_blocks_what_the_policy_forbids(client, use_case):
    ran = []
    gate = gate_for(client, use_case)

    @gate
    def pay(invoice, amount):
        ran.append((invoice, amount))
        return "paid"

    assert pay(invoice="INV-1", amount=20) == "paid" and ran == [("INV-1", 20)]
    with pytest.raises(Blocked) as big:
        pay(invoice="INV-2", amount=50_000)
    assert big.value.reasons == ["BLOCK_RULE:large-payment"]
    with pytest.raises(Blocked) as unknown:
        gate.call("wire_abroad", {"iban": "X"}, lambda **kw: ran.append(kw))
    assert unknown.value.reasons == ["TOOL_NOT_ALLOWED"] and ran == [("INV-1", 20)]


def test_the_gate_waits_for_a_person_then_runs_the_approved_or_edited_call(client, use_case, reviewer):
    ran = []
    gate = gate_for(client, use_case)

    @gate
    def refund(invoice, amount):
        ran.append((invoice, amount))
        return f"refunded {amount}"

    with ThreadPoolExecutor(1) as pool:
        approved = pool.submit(refund, invoice="INV-7", amount=120)
        reviewer.judge(use_case, "APPROVE")
        assert approved.result(timeout=30) == "refunded 120"
        # As a call, with the plain tool (the decorated one would route again) and the steps that led to it.
        edited = pool.submit(lambda: gate.call("refund", {"invoice": "INV-8", "amount": 90}, refund.__wrapped__,
                                               trajectory=STEPS))
        reviewer.judge(use_case, "CORRECT", rationale="half until the goods are back",
                       correctedOutput={"name": "refund", "arguments": {"invoice": "INV-8", "amount": 45}})
        assert edited.result(timeout=30) == "refunded 45"
    assert ran == [("INV-7", 120), ("INV-8", 45)]


def test_the_gate_refuses_with_the_reviewers_feedback_or_runs_the_tool_they_chose(client, use_case, reviewer):
    notes = []
    gate = gate_for(client, use_case, tools={"credit_note": lambda invoice, amount: notes.append(amount) or "noted"})

    @gate
    def refund(invoice, amount):
        raise AssertionError("a rejected or redirected refund must not run")

    with ThreadPoolExecutor(1) as pool:
        rejected = pool.submit(refund, invoice="INV-9", amount=500)
        reviewer.judge(use_case, "REJECT", rationale="the customer already got a voucher")
        with pytest.raises(Rejected) as refusal:
            rejected.result(timeout=30)
        assert refusal.value.feedback == "the customer already got a voucher"
        redirected = pool.submit(refund, invoice="INV-10", amount=70)
        reviewer.judge(use_case, "CORRECT", rationale="issue a credit note instead",
                       correctedOutput={"name": "credit_note", "arguments": {"invoice": "INV-10", "amount": 70}})
        assert redirected.result(timeout=30) == "noted"
    assert notes == [70]


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self):  # noqa: N802 (the standard library's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        _Receiver.received.append(({k: v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_real_callback_verifies_and_a_forged_one_does_not(stack, client, admin, use_case, reviewer):
    secret = admin.post(f"/v1/apps/{stack['OVERSIGHT_APP']}/webhook-secret")
    assert secret.status_code in (200, 201), secret.text
    key = secret.json()["secret"]
    server = http.server.ThreadingHTTPServer(("localhost", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        d = client.route(use_case=use_case, model_version="m1", output={"label": "deny"}, confidence=0.2,
                         callback_url=f"http://localhost:{server.server_address[1]}/hook")
        reviewer.judge(use_case, "APPROVE")
        client.wait(d.decision_id, timeout=30)
        for _ in range(150):
            if any(json.loads(b).get("decisionId") == d.decision_id for _, b in _Receiver.received):
                break
            threading.Event().wait(0.2)
        headers, body = next((h, b) for h, b in _Receiver.received if json.loads(b).get("decisionId") == d.decision_id)
    finally:
        server.shutdown()
    webhooks.verify(key, headers, body)
    assert json.loads(body)["status"] == "APPROVED"
    with pytest.raises(InvalidSignature):
        webhooks.verify(key, headers, body.replace(b"APPROVED", b"REJECTED"))
    # Signed, but with another secret: what a forger who knows the format but not the app's secret sends.
    lower = {k.lower(): v for k, v in headers.items()}
    forged = dict(lower, **{"webhook-signature": webhooks.sign("whsec_" + "QUJD" * 8, lower["webhook-id"],
                                                                int(lower["webhook-timestamp"]), body)})
    with pytest.raises(InvalidSignature):
        webhooks.verify(key, forged, body)


def test_the_gate_gives_up_waiting_at_its_deadline_and_resumes_the_same_decision_later(client, use_case, reviewer):
    ran = []
    gate = gate_for(client, use_case)
    gate.wait_timeout = 1

    def refund(invoice, amount):
        ran.append((invoice, amount))
        return "refunded"

    with pytest.raises(WaitTimeout) as waited:
        gate.call("refund", {"invoice": "INV-11", "amount": 5}, refund)
    assert ran == []
    reviewer.judge(use_case, "APPROVE")
    gate.wait_timeout = 30
    assert gate.resume(waited.value.decision_id, refund) == "refunded" and ran == [("INV-11", 5)]


def test_the_app_keeps_its_decisions_audit_receipt(client, use_case):
    decision = client.route(use_case=use_case, model_version="m1", output={"claim": "pay"}, confidence=0.95)
    receipt = client.receipt(decision.decision_id)
    lines = receipt.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1"
    event = json.loads(base64.b64decode(lines[1].removeprefix("extra ")))
    assert event["type"] == "DECISION_MADE" and event["subjectId"] == decision.decision_id
    assert lines[2].startswith("index ")
    with pytest.raises(Conflict):
        client.receipt(decision.decision_id, event="OUTCOME_FINAL", timeout=0)
    with pytest.raises(ValueError):
        client.receipt(decision.decision_id, event="POLICY_CHANGED")
