"""Limits for one bounded check, and the typed outcome of running it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from grader.api import defaults

Status = Literal["ok", "time_limit", "memory_limit", "crashed"]

ERROR_MAX_CHARS = 300


@dataclass(frozen=True)
class Bounds:
    """Wall-clock seconds and address-space megabytes allowed for one check."""

    seconds: float = defaults.PART_SECONDS
    memory_mb: int = defaults.MEMORY_MB

    def __post_init__(self) -> None:
        if not self.seconds > 0:
            raise ValueError(f"Bounds.seconds must be > 0, got {self.seconds!r}")
        if not isinstance(self.memory_mb, int) or self.memory_mb <= 0:
            raise ValueError(f"Bounds.memory_mb must be a positive int, got {self.memory_mb!r}")

    def time_reason(self) -> str:
        return f"time limit ({self.seconds:g} s)"

    def memory_reason(self) -> str:
        return f"memory limit ({self.memory_mb} MB)"


@dataclass(frozen=True)
class CallOutcome:
    """What happened to one bounded call.

    ``value`` is the function's return value when ``status == 'ok'`` and None
    otherwise; ``error`` is a short human reason when status is not 'ok'.
    """

    status: Status
    value: Any
    error: str | None
    elapsed: float

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def short_reason(*, prefix: str, text: str) -> str:
    """``prefix`` + ``text`` cut to a bounded length (one line)."""
    line = " ".join(text.split())
    reason = f"{prefix}{line}"
    if len(reason) > ERROR_MAX_CHARS:
        reason = reason[: ERROR_MAX_CHARS - 1] + "…"
    return reason


def exception_reason(*, exc: BaseException) -> str:
    """``crashed: ExcType: message`` with a bounded length."""
    return short_reason(prefix="crashed: ", text=f"{type(exc).__name__}: {exc}")
