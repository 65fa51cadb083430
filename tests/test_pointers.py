"""Help and errors point at something an installed user has (issue 12 item 5): a command such as
``sti-review schema …`` or ``sti-review init …``, never a file of the source checkout."""

from __future__ import annotations

import re

import pytest

from sti_review.i18n import locale_dirs

CHECKOUT_ONLY = re.compile(r"docs/|\w+\.md\b")


def _msgstrs() -> list[tuple[str, str]]:
    found = []
    for folder in locale_dirs():
        for po in folder.glob("*/LC_MESSAGES/sti_review.po"):
            for line in po.read_text(encoding="utf-8").splitlines():
                if line.startswith("msgstr "):
                    found.append((po.parent.parent.name, line))
    return found


def test_no_catalogue_text_points_at_a_checkout_file():
    bad = [(lang, line) for lang, line in _msgstrs() if CHECKOUT_ONLY.search(line)]
    assert _msgstrs() and bad == []


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("kind", ["proposal", "review"])
def test_init_skeletons_point_at_commands(invoke, lang, kind):
    result = invoke("init", kind, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert not CHECKOUT_ONLY.search(result.stdout)
    if kind == "proposal":
        assert "sti-review schema proposal" in result.stdout
