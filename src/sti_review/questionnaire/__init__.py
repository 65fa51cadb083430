"""The interactive questionnaire: walk a reviewer through every criterion, saving as it goes.

One module per concern, so that the walk is testable without a terminal:

- ``answers``: parsing what is typed (``parse_score``, ``parse_verdict``, ``parse_command`` …),
  pure functions of text;
- ``session``: the review being written, its rules and its file (every answer is checked
  against the rubric and saved at once, atomically), and resuming;
- ``screens``: what is shown, rendered with rich; line breaking is the shared ``sti_review.text.linebreak``;
- ``prompters``: how the walk talks (``ConsolePrompter`` for a terminal, ``ScriptedPrompter``
  for tests);
- ``walk``: the walk itself (``Questionnaire``) and ``complete_review``.

Untrusted text (the proposal's, the reviewer's) is shown through rich ``Text``, never markup.
"""

from __future__ import annotations

from ..text.linebreak import wrap
from .answers import (
    COMMANDS,
    NA,
    AnswerError,
    Command,
    answer_text,
    comment_reason,
    normalize,
    parse_command,
    parse_score,
    parse_verdict,
    parse_yes_no,
)
from .prompters import ConsolePrompter, Prompter, ScriptedPrompter
from .screens import SUMMARY_LINES, WIDTH_MAX, Wrapped
from .session import Change, Session, default_reviewer_name, open_for_walk, resume_command
from .walk import Completion, Questionnaire, Status, WalkResult, complete_review, stop_message

__all__ = [
    "COMMANDS",
    "NA",
    "SUMMARY_LINES",
    "WIDTH_MAX",
    "AnswerError",
    "Change",
    "Command",
    "Completion",
    "ConsolePrompter",
    "Prompter",
    "Questionnaire",
    "ScriptedPrompter",
    "Session",
    "Status",
    "WalkResult",
    "Wrapped",
    "answer_text",
    "comment_reason",
    "complete_review",
    "default_reviewer_name",
    "normalize",
    "open_for_walk",
    "parse_command",
    "parse_score",
    "parse_verdict",
    "parse_yes_no",
    "resume_command",
    "stop_message",
    "wrap",
]
