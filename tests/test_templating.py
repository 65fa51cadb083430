"""Templates are compiled once and kept in the cache folder; a broken folder changes nothing."""

from __future__ import annotations

import jinja2

from sti_review import templating


def render(tmp_path, source: str) -> str:
    (tmp_path / "t").mkdir(exist_ok=True)
    (tmp_path / "t" / "page.html").write_text(source, encoding="utf-8")
    env = templating.environment(loader=jinja2.FileSystemLoader(str(tmp_path / "t")), autoescape=True)
    return env.get_template("page.html").render(name="<審査>")


def test_compiled_once_and_recompiled_when_edited(tmp_path, monkeypatch):
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "cache"))
    assert render(tmp_path, "こんにちは {{ name }}") == "こんにちは &lt;審査&gt;"
    assert list((tmp_path / "cache" / "jinja").glob("*.cache"))
    assert render(tmp_path, "こんにちは {{ name }}") == "こんにちは &lt;審査&gt;"
    assert render(tmp_path, "さようなら {{ name }}") == "さようなら &lt;審査&gt;"


def test_unusable_cache_folder_is_ignored(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("STI_REVIEW_CACHE", str(tmp_path / "file"))
    assert templating.bytecode_cache() is None
    assert render(tmp_path, "{{ name }}") == "&lt;審査&gt;"
