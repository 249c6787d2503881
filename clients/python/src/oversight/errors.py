"""Oversight's problem+json answers as typed exceptions, and the gate's refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One field a request got wrong, as the service names it (``toolCall.arguments``, ``trajectory[3].kind``)."""

    field: str
    message: str


class OversightError(Exception):
    """An answer that is not a success: the service's problem document (RFC 9457), read into fields."""

    def __init__(self, status: int, title: str, detail: str | None = None, type: str | None = None,
                 errors: list[FieldError] | None = None, body: Any = None) -> None:
        super().__init__(f"{status} {title}" + (f": {detail}" if detail else ""))
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.errors = errors or []
        self.body = body

    @property
    def fields(self) -> list[str]:
        """The names of the fields the service refused, in its order."""
        return [e.field for e in self.errors]


class BadRequest(OversightError):
    """400: the request is invalid; ``errors`` names each field."""


class Unauthorized(OversightError):
    """401: no valid bearer token."""


class Forbidden(OversightError):
    """403: the token's role or app may not do this."""


class NotFound(OversightError):
    """404: no such decision, use case or task."""


class Conflict(OversightError):
    """409: the state forbids it (a reused idempotency key with another request, a decision no longer open)."""


class TooLarge(OversightError):
    """413: the body or a value in it is larger than the service takes."""


class Unavailable(OversightError):
    """5xx, 429 or no answer: the service cannot take the request now; try again later."""


_BY_STATUS = {400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict, 413: TooLarge,
              429: Unavailable}


def from_response(status: int, body: Any) -> OversightError:
    """The exception for an answer: its problem document when it has one, its status otherwise."""
    doc = body if isinstance(body, dict) else {}
    errors = [FieldError(str(e.get("field", "")), str(e.get("message", "")))
              for e in doc.get("errors") or [] if isinstance(e, dict)]
    cls = _BY_STATUS.get(status, Unavailable if status >= 500 else OversightError)
    return cls(status, str(doc.get("title") or f"HTTP {status}"), doc.get("detail"), doc.get("type"), errors, body)


class WaitTimeout(Exception):
    """No final outcome before the deadline: the decision is still with people. Wait again, or act on it later."""

    def __init__(self, decision_id: str, seconds: float) -> None:
        super().__init__(f"decision {decision_id} has no final outcome after {seconds:g} s")
        self.decision_id = decision_id
        self.seconds = seconds


class Refused(Exception):
    """The gate did not run the tool: people rejected the call, the router blocked it, or it ended without a call."""

    def __init__(self, message: str, decision: Any) -> None:
        super().__init__(message)
        self.decision = decision


class Rejected(Refused):
    """People rejected the call; ``feedback`` is what they said, for the agent to try another way."""

    def __init__(self, decision: Any) -> None:
        self.feedback: str | None = decision.feedback
        super().__init__("the call was rejected" + (f": {self.feedback}" if self.feedback else ""), decision)


class Blocked(Refused):
    """The router blocked the call; ``reasons`` say why (``TOOL_NOT_ALLOWED``, ``BLOCK_RULE:<name>``, ...)."""

    def __init__(self, decision: Any) -> None:
        self.reasons: list[str] = list(decision.reasons)
        super().__init__("the call was blocked: " + ", ".join(self.reasons), decision)


class Redirected(Refused):
    """People corrected the call to another tool that this gate cannot run; ``call`` is the call they approved."""

    def __init__(self, decision: Any) -> None:
        self.call = decision.final_output
        super().__init__(f"the reviewers corrected the call to tool {self.call.get('name')!r}, which this gate"
                         " does not know", decision)
