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


# --- what a command imports (issue 17): count modules, never seconds -------------------------

MODULES_PROBE = """
import json, sys
sys.argv = {argv!r}
from sti_review.__main__ import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write('MODULES=' + json.dumps(sorted(sys.modules)) + '\\n')
"""


def loaded_modules(argv: list[str], env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    import os

    proc = subprocess.run(
        [sys.executable, "-c", MODULES_PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
    marker = next(line for line in proc.stderr.splitlines() if line.startswith("MODULES="))
    return proc.stdout, set(json.loads(marker.removeprefix("MODULES=")))


def _present(modules: set[str], names: list[str]) -> list[str]:
    return sorted(m for m in modules for n in names if m == n or m.startswith(n + "."))


NOT_FOR_VALIDATE = ["jinja2", "budoux", "markupsafe", "sti_review.report.html", "sti_review.text", "sqlite3"]


def test_validate_imports_no_report_renderer(example_files):
    proposal, review = example_files
    _, modules = loaded_modules(["sti-review", "validate", proposal, review])
    assert "sti_review.validate" in modules or "sti_review.proposal" in modules  # the probe ran the command
    assert _present(modules, NOT_FOR_VALIDATE) == []


def test_check_imports_no_html_renderer_nor_line_breaker(example_files):
    proposal, _ = example_files
    _, modules = loaded_modules(["sti-review", "check", proposal])
    assert "sti_review.checks" in modules
    # the shared line breaker lays the findings out (Japanese by its rules); BudouX's model is
    # loaded only for Japanese text, and this run's findings are English
    assert _present(modules, [m for m in NOT_FOR_VALIDATE if m != "sti_review.text"]) == []


def test_json_assessment_imports_no_terminal_or_html_renderer(example_files):
    proposal, review = example_files
    out, modules = loaded_modules(["sti-review", "assess", proposal, "--review", review, "-f", "json"])
    assert out.lstrip().startswith("{")
    assert _present(modules, ["jinja2", "budoux", "sti_review.report.html", "sti_review.text"]) == []


@pytest.fixture
def example_files():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "examples"
    proposal = root / "satreps-flood-ews-th.yaml"
    return str(proposal), str(proposal.with_suffix("")) + ".review.yaml"


# --- the rubric's disk cache -------------------------------------------------------------------


@pytest.fixture
def rubric_copy(tmp_path, monkeypatch):
    """A private copy of the shipped rubric, a private cache folder, the cache on, and a count of
    the YAML files the rubric loader parses."""
    import shutil

    from sti_review import rubric, rubric_cache

    folder = tmp_path / "rubric"
    shutil.copytree(rubric.default_rubric_dir(), folder)
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("STI_REVIEW_NO_CACHE", raising=False)
    monkeypatch.setattr(rubric_cache, "_enabled", True)
    monkeypatch.setattr(rubric, "_cache", {})  # no in-process hit: every load goes to the disk cache
    parsed: list[str] = []
    real = rubric.load_file

    def counting(path, *args, **kwargs):
        parsed.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(rubric, "load_file", counting)

    def load():
        rubric._cache.clear()
        return rubric.load_rubric(folder)

    return folder, load, parsed


def _entries(tmp_path):
    return sorted((tmp_path / "cache" / "rubrics").glob("*.pickle"))


def test_rubric_cache_hit_parses_no_yaml(rubric_copy, tmp_path):
    _folder, load, parsed = rubric_copy
    first = load()
    assert parsed, "the first run reads the YAML files"
    assert len(_entries(tmp_path)) == 1
    parsed.clear()
    second = load()
    assert parsed == []
    assert second.model_dump() == first.model_dump()
    assert list(second.criteria) == list(first.criteria)


def test_changed_rubric_file_is_read_again(rubric_copy, tmp_path):
    import os

    folder, load, parsed = rubric_copy
    load()
    section = sorted((folder / "sections").glob("*.yaml"))[0]
    st = section.stat()
    os.utime(section, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    parsed.clear()
    load()
    assert any(p.endswith(section.name) for p in parsed)
    parsed.clear()
    load()  # the rewritten entry is used again
    assert parsed == []


def test_changed_rubric_content_is_seen(rubric_copy):
    folder, load, _parsed = rubric_copy
    before = load()
    main = folder / "rubric.yaml"
    text = main.read_text(encoding="utf-8")
    old_title = before.model_dump()["title"]
    assert old_title
    # Change the title in the file; the size changes, so the cache must not answer with the old one.
    import yaml

    data = yaml.safe_load(text)
    data["title"] = (
        {k: v + "（改）" for k, v in data["title"].items()}
        if isinstance(data["title"], dict)
        else data["title"] + "（改）"
    )
    main.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = load()
    assert after.model_dump()["title"] != old_title


@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage", b"sti-review-rubric-1\n\x80\x05truncated", b"sti-review-rubric-1\n" + b"\x00" * 5000],
)
def test_corrupt_rubric_cache_entry_is_ignored_and_rewritten(rubric_copy, tmp_path, damage):
    _folder, load, parsed = rubric_copy
    first = load()
    (entry,) = _entries(tmp_path)
    entry.write_bytes(damage)
    parsed.clear()
    again = load()
    assert parsed, "a corrupt entry is not trusted: the files are read again"
    assert again.model_dump() == first.model_dump()
    assert entry.read_bytes() != damage
    parsed.clear()
    load()
    assert parsed == []


def test_entry_of_another_rubric_is_not_used(rubric_copy, tmp_path):
    """An entry whose stored key is another rubric's (a renamed file, a hash collision) is ignored."""
    import pickle

    _folder, load, parsed = rubric_copy
    load()
    (entry,) = _entries(tmp_path)
    magic = b"sti-review-rubric-1\n"
    _key, stamps, rubric = pickle.loads(entry.read_bytes()[len(magic) :])
    entry.write_bytes(magic + pickle.dumps((("/elsewhere/rubric.yaml", False), stamps, rubric)))
    parsed.clear()
    load()
    assert parsed


def test_no_cache_switch_and_unwritable_folder(rubric_copy, tmp_path, monkeypatch):
    _folder, load, parsed = rubric_copy
    monkeypatch.setenv("STI_REVIEW_NO_CACHE", "1")
    load()
    assert _entries(tmp_path) == []
    monkeypatch.delenv("STI_REVIEW_NO_CACHE")
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    parsed.clear()
    rubric = load()  # no traceback, no entry: only the speed-up is lost
    assert parsed and rubric.criteria


def test_rubric_cache_folder_is_the_documented_cache_folder(monkeypatch, tmp_path):
    from sti_review import cache, rubric_cache

    for env in ({"STI_REVIEW_CACHE": str(tmp_path)}, {"XDG_CACHE_HOME": str(tmp_path)}, {}):
        monkeypatch.delenv("STI_REVIEW_CACHE", raising=False)
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        assert rubric_cache.folder() == cache.cache_dir() / "rubrics"


def test_cli_run_uses_the_rubric_cache(example_files, tmp_path):
    """Two runs of the command: the second has the entry the first wrote, same output."""
    proposal, review = example_files
    env = {"STI_REVIEW_CACHE": str(tmp_path / "c"), "STI_REVIEW_NO_CACHE": ""}
    argv = ["sti-review", "assess", proposal, "--review", review, "-f", "json"]
    first, _ = loaded_modules(argv, env)
    assert len(list((tmp_path / "c" / "rubrics").glob("*.pickle"))) == 1
    second, _ = loaded_modules(argv, env)
    assert first == second and first.lstrip().startswith("{")


BUILT_PROBE = """
import sys
sys.argv = {argv!r}
from sti_review.__main__ import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
from sti_review import proposal, rubric
built = (rubric.Rubric.__pydantic_complete__, proposal.Proposal.__pydantic_complete__)
sys.stderr.write('BUILT=%s,%s\\n' % built)
"""


def test_rubric_from_the_disk_cache_builds_no_rubric_model(example_files, tmp_path):
    """Models are built on first use in the CLI process: a run whose rubric comes from the disk
    cache never builds the Rubric model, while the proposal's model is built to validate it."""
    import os

    proposal, review = example_files
    env = {**os.environ, "STI_REVIEW_CACHE": str(tmp_path), "STI_REVIEW_NO_CACHE": ""}
    argv = ["sti-review", "assess", proposal, "--review", review, "-f", "json"]
    built = []
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, "-c", BUILT_PROBE.format(argv=argv)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=env,
        )
        assert proc.stdout.lstrip().startswith("{"), proc.stderr
        built.append(next(line for line in proc.stderr.splitlines() if line.startswith("BUILT=")))
    assert built == ["BUILT=True,True", "BUILT=False,True"]
