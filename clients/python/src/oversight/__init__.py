"""Oversight's Python client: ``from oversight import Oversight``."""

from .client import Oversight
from .errors import (BadRequest, Blocked, Conflict, FieldError, Forbidden, NotFound, OversightError, Redirected,
                     Refused, Rejected, TooLarge, Unauthorized, Unavailable, WaitTimeout)
from .gate import Gate
from .models import Decision, ToolCall
from . import webhooks

gate = Gate

__all__ = ["Oversight", "Decision", "ToolCall", "Gate", "gate", "webhooks", "OversightError", "BadRequest",
           "Unauthorized", "Forbidden", "NotFound", "Conflict", "TooLarge", "Unavailable", "FieldError",
           "WaitTimeout", "Refused", "Rejected", "Blocked", "Redirected"]
