"""Shell completion (issue 12 item 5): --install-completion and --show-completion exist and
speak the user's language; the shell is offered commands, --format choices, the languages
with a catalogue and the shipped rubrics."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sti_review import completion

from .conftest import BASE_ENV, ROOT


def _complete(words: str, cword: int, shell: str = "bash") -> list[str]:
    """What the shell is offered for ``words`` (the word at ``cword`` is being typed)."""
    env = {k: v for k, v in {**os.environ, **BASE_ENV}.items() if v is not None}
    env.update({"_STI_REVIEW_COMPLETE": f"complete_{shell}", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    if shell == "zsh":
        env["_TYPER_COMPLETE_ARGS"] = words
    code = "import sys; sys.argv[0] = 'sti-review'; from sti_review.__main__ import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_options_are_in_the_help_in_both_languages(invoke):
    en = invoke("--help").stdout
    assert "--install-completion" in en and "--show-completion" in en and "shell you use" in en
    # the help's language is chosen when the command line is built: a process of its own
    env = {k: v for k, v in {**os.environ, **BASE_ENV, "STI_REVIEW_LANG": "ja"}.items() if v is not None}
    ja = subprocess.run(
        [sys.executable, "-m", "sti_review", "--help"], capture_output=True, text=True, env=env, check=False
    ).stdout
    assert "--install-completion" in ja and "シェル" in ja


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_show_completion_prints_the_script_of_the_shell(invoke, monkeypatch, shell):
    monkeypatch.setattr(completion, "detect_shell", lambda: shell)
    result = invoke("--show-completion")
    assert result.exit_code == 0
    assert "_STI_REVIEW_COMPLETE" in result.stdout and "sti-review" in result.stdout


def test_an_unknown_shell_is_a_clear_error(invoke, monkeypatch):
    monkeypatch.setattr(completion, "detect_shell", lambda: None)
    result = invoke("--show-completion")
    assert result.exit_code == 2 and "cannot tell which shell" in result.stderr and "bash" in result.stderr
    result = invoke("--install-completion", env={"STI_REVIEW_LANG": "ja"})
    assert result.exit_code == 2 and "シェルが分かりません" in result.stderr


def test_install_completion_writes_the_script_and_says_where(invoke, monkeypatch, tmp_path):
    monkeypatch.setattr(completion, "detect_shell", lambda: "bash")
    monkeypatch.setenv("HOME", str(tmp_path))
    result = invoke("--install-completion", env={"HOME": str(tmp_path)})
    assert result.exit_code == 0, result.stderr
    assert "bash completion installed in" in result.stdout and "new terminal" in result.stdout
    assert "_STI_REVIEW_COMPLETE" in "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())


def test_commands_complete():
    assert "consolidate" in _complete("sti-review cons", 1)


def test_format_choices_complete():
    assert {"terminal", "markdown", "json", "html", "csv"} <= set(_complete("sti-review rank -f ", 3))


def test_languages_complete_from_the_catalogues():
    assert _complete("sti-review assess --lang ", 3) == ["en", "ja"]
    assert _complete("sti-review assess --lang j", 3) == ["ja"]


def test_shipped_rubrics_and_folders_complete():
    offered = _complete("sti-review assess --rubric ", 3)
    assert {"horizon-europe-2021", "mext-sti-international-2021", "criteria/", "examples/"} <= set(offered)
    assert _complete("sti-review assess --rubric horiz", 3) == ["horizon-europe-2021"]
    assert "criteria/horizon-europe-2021/" in _complete("sti-review assess --rubric criteria/h", 3)


def test_rubric_completion_of_a_missing_folder_offers_nothing():
    assert completion.rubrics("no/such/folder/x") == []
