"""Approval before an agent acts, for any Python agent: route the call, wait for people when the router asks them,
then run the tool with the call they allowed, or refuse with their reasons.

As a decorator on a tool function (its keyword arguments are the call's arguments)::

    gate = Gate(client, use_case="payments-agent", model_version="agent-1", confidence=0.9)

    @gate
    def refund(invoice: str, amount: int) -> str: ...

    refund(invoice="INV-7", amount=120)   # runs only once allowed; raises Rejected or Blocked otherwise

or as a call: ``gate.call("refund", {"invoice": "INV-7", "amount": 120}, refund_fn)``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Mapping, Sequence, TypeVar

from .client import Oversight
from .errors import Blocked, Redirected, Rejected, Refused
from .models import Decision

T = TypeVar("T")
Confidence = float | Callable[[str, Mapping[str, Any]], float] | None


class Gate:
    """Puts Oversight in front of tool calls.

    ``confidence``: the agent's confidence in its calls, a number or a function of (tool, arguments); None leaves it
    out (the policy's tool routes and rules still apply). ``wait_timeout``: how long a call waits for people (then
    :class:`~oversight.errors.WaitTimeout`; :meth:`resume` picks the decision up later). ``tools``: other tools
    the gate may run when reviewers correct a call to one of them (by name).
    """

    def __init__(self, client: Oversight, *, use_case: str, model_version: str, confidence: Confidence = None,
                 wait_timeout: float = 300.0, tools: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self.client = client
        self.use_case = use_case
        self.model_version = model_version
        self.confidence = confidence
        self.wait_timeout = wait_timeout
        self.tools: dict[str, Callable[..., Any]] = dict(tools or {})

    def __call__(self, fn: Callable[..., T] | None = None, *, name: str | None = None) -> Any:
        """Decorates a tool function: ``@gate`` or ``@gate(name="refund")``."""
        if fn is None:
            return lambda f: self(f, name=name)
        tool = name or fn.__name__
        self.tools.setdefault(tool, fn)

        @functools.wraps(fn)
        def gated(**arguments: Any) -> T:
            return self.call(tool, arguments, fn)

        return gated

    def call(self, name: str, arguments: Mapping[str, Any], run: Callable[..., T], *,
             trajectory: Sequence[Mapping[str, Any]] | None = None, idempotency_key: str | None = None,
             callback_url: str | None = None) -> T:
        """Routes the call and runs ``run`` with the arguments people allowed (edited ones on a correction)."""
        confidence = self.confidence(name, arguments) if callable(self.confidence) else self.confidence
        decision = self.client.route_tool_call(use_case=self.use_case, model_version=self.model_version, name=name,
                                               arguments=arguments, confidence=confidence, trajectory=trajectory,
                                               idempotency_key=idempotency_key, callback_url=callback_url)
        if decision.status == "RELEASED":
            return run(**dict(arguments))
        return self.resume(decision.decision_id, run, decision=decision)

    def resume(self, decision_id: str, run: Callable[..., T], *, decision: Decision | None = None) -> T:
        """Waits for a decision already routed (after a :class:`~oversight.errors.WaitTimeout`, or in another
        process) and acts on it as :meth:`call` does."""
        if decision is None or not decision.final:
            decision = self.client.wait(decision_id, timeout=self.wait_timeout)
        return self._act(decision, run)

    def _act(self, decision: Decision, run: Callable[..., T]) -> T:
        if decision.status == "BLOCKED":
            raise Blocked(decision)
        call = decision.final_output
        if not isinstance(call, dict) or "name" not in call:
            if decision.status in ("REJECTED", "EXPIRED", "OVERRIDDEN"):
                raise Rejected(decision)
            raise Refused(f"decision {decision.decision_id} ended {decision.status} without a call to run", decision)
        target = run if call["name"] == _name_of(decision) else self.tools.get(call["name"])
        if target is None:
            raise Redirected(decision)
        return target(**dict(call.get("arguments") or {}))


def _name_of(decision: Decision) -> str | None:
    output = decision.output
    return output.get("name") if isinstance(output, dict) else None
