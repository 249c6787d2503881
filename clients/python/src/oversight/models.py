"""What the router answers, as typed objects (snake_case attributes of the camelCase JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FINAL_STATUSES = frozenset({"RELEASED", "BLOCKED", "APPROVED", "REJECTED", "CORRECTED", "EXPIRED", "OVERRIDDEN"})


@dataclass(frozen=True)
class ToolCall:
    """An agent's action: a tool and its arguments (a JSON object)."""

    name: str
    arguments: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "arguments": self.arguments}


@dataclass(frozen=True)
class Decision:
    """A routing decision: the inline answer of ``route``, or the full decision of ``decision`` and ``wait``.

    ``route`` is RELEASE, REVIEW or BLOCK; ``status`` says where it stands (PENDING_REVIEW until people decide);
    ``final_output`` is what the app may use (for a tool call, the call to execute; None when rejected or blocked).
    """

    decision_id: str
    use_case: str
    model_version: str
    route: str
    status: str
    kind: str
    raw_confidence: float | None
    calibrated_confidence: float | None
    threshold: float | None
    reasons: list[str]
    policy_version: int | None
    calibrator_version: int | None
    required_reviews: int | None = None
    review_task_id: str | None = None
    idempotency_key: str | None = None
    created_at: str | None = None
    output: Any = None
    final_output: Any = None
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    decided_at: str | None = None
    feedback: str | None = None
    process: str | None = None
    trajectory: list[dict[str, Any]] | None = None
    callback: dict[str, Any] | None = None
    override: dict[str, Any] | None = None
    replayed: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def final(self) -> bool:
        """Whether the outcome is final (no more people to wait for)."""
        return self.status in FINAL_STATUSES

    @classmethod
    def from_json(cls, doc: dict[str, Any], replayed: bool = False) -> "Decision":
        return cls(
            decision_id=doc["decisionId"], use_case=doc.get("useCase", ""), model_version=doc.get("modelVersion", ""),
            route=doc["route"], status=doc["status"], kind=doc.get("kind", "OUTPUT"),
            raw_confidence=doc.get("rawConfidence"), calibrated_confidence=doc.get("calibratedConfidence"),
            threshold=doc.get("threshold"), reasons=list(doc.get("reasons") or []),
            policy_version=doc.get("policyVersion"), calibrator_version=doc.get("calibratorVersion"),
            required_reviews=doc.get("requiredReviews"), review_task_id=doc.get("reviewTaskId"),
            idempotency_key=doc.get("idempotencyKey"), created_at=doc.get("createdAt"), output=doc.get("output"),
            final_output=doc.get("finalOutput"), verdicts=list(doc.get("verdicts") or []),
            decided_at=doc.get("decidedAt"), feedback=doc.get("feedback"), process=doc.get("process"),
            trajectory=doc.get("trajectory"), callback=doc.get("callback"), override=doc.get("override"),
            replayed=replayed, raw=doc)
