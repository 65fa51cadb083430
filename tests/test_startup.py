"""`sti-review --version` answers without importing the heavy libraries, so it stays instant."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import sti_review

HEAVY = ["rich", "pydantic", "yaml", "typer"]

PROBE = """
import json, sys
sys.argv = {argv!r}
from sti_review.__main__ import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))
sys.stderr.write('LOADED=' + json.dumps(loaded) + '\\n')
"""


def run_probe(argv: list[str]) -> tuple[str, list[str]]:
    code = PROBE.format(argv=argv, heavy=HEAVY)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    marker = next(line for line in proc.stderr.splitlines() if line.startswith("LOADED="))
    return proc.stdout, json.loads(marker.removeprefix("LOADED="))


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_imports_nothing_heavy(flag):
    stdout, loaded = run_probe(["sti-review", flag])
    assert stdout.strip() == f"sti-review {sti_review.__version__}"
    assert loaded == []


def test_probe_does_see_heavy_imports():
    """The probe itself works: a real command does load them."""
    _, loaded = run_probe(["sti-review", "schema", "review"])
    assert "pydantic" in loaded


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_imports_only_the_command_line(flag):
    """The help needs the commands and a formatter: no rubric, no models, no YAML, no rich
    (rich's help panels would import a Markdown parser and rich.traceback)."""
    stdout, loaded = run_probe(["sti-review", flag])
    assert "assess" in stdout and "Usage:" in stdout
    assert loaded == ["typer"]
