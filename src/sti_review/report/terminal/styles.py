"""The colours of outcomes and verdicts on the terminal, one table for every report."""

from __future__ import annotations

from ...scoring import Outcome

OUTCOME_STYLE = {
    Outcome.PASS: "bold green",
    Outcome.CONDITIONAL: "bold yellow",
    Outcome.BELOW_THRESHOLD: "bold red",
    Outcome.GATE_FAILED: "bold white on red",
    Outcome.INCOMPLETE: "bold blue",
}
VERDICT_STYLE = {"pass": "green", "conditional": "yellow", "fail": "bold red"}
