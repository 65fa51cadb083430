"""The report registry: every (report kind, format) it lists draws the examples, in both
languages, as bytes; a format a command cannot write is refused before any work, in words."""

from __future__ import annotations

import pytest

from sti_review.report import registry
from sti_review.report.registry import RENDERERS, Format

from .conftest import EXAMPLES

CALL = EXAMPLES / "call-2026"
JR03 = CALL / "proposals/CALL26-JR-03.yaml"
PROGRAMMES = EXAMPLES / "programmes-mext.yaml"


def _view(kind: str):  # type: ignore[no-untyped-def]
    from sti_review.report import views

    if kind == "assessment":
        from sti_review.api import open_job

        job = open_job(EXAMPLES / "other-ocean-data-ph.yaml")
        return views.AssessmentView(job.assessment(), job.findings)
    if kind == "findings":
        from sti_review.api import check_proposal
        from sti_review.rubric import load_rubric

        rub = load_rubric(None)
        return views.FindingsView([check_proposal(EXAMPLES / "satreps-flood-ews-th.yaml", rub)], [], rub)
    if kind == "panel":
        from sti_review.panel import load_panel

        return views.PanelView(load_panel(JR03, [CALL / "reviews/CALL26-JR-03"], None))
    if kind == "ranking":
        from sti_review.ranking import rank_call

        return views.RankingView(rank_call(CALL, None, fund=2))
    if kind == "portfolio":
        from sti_review.portfolio import build_map, programme_item, read_portfolio

        data = read_portfolio(CALL, PROGRAMMES, None)
        items = [programme_item(p, "en") for p in data.programmes]
        return views.PortfolioView(build_map(data.rubric, items, data.proposals))
    if kind == "rubric":
        from sti_review.rubric import load_rubric

        rub = load_rubric(None)
        return views.RubricView(rub, rub.criteria["A2"])
    if kind == "reviewers":
        from sti_review.ranking import rank_call
        from sti_review.stats.call import call_stats

        ranking = rank_call(CALL, None)
        return views.ReviewersView(call_stats(ranking), ranking)
    if kind in ("conflicts", "assignment"):
        from sti_review.assignment import Options, assign_call
        from sti_review.conflicts import conflicts_in_call, read_call_and_pool
        from sti_review.rubric import load_rubric

        call = read_call_and_pool(
            EXAMPLES / "call-2026", EXAMPLES / "call-2026/reviewers.yaml", load_rubric("mext-sti-call-2026")
        )
        report = conflicts_in_call(call, this_year=2026)
        if kind == "conflicts":
            return views.ConflictsView(report)
        return views.AssignmentView(assign_call(call, report, Options(per_proposal=2)))
    raise AssertionError(f"no example view for {kind}")


@pytest.mark.parametrize(("kind", "fmt"), sorted(RENDERERS, key=lambda k: (k[0], k[1].value)))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_registered_pair_draws_the_example(kind, fmt, lang):
    view = _view(kind)
    assert view.kind == kind
    out = registry.render(view, fmt, lang=lang)
    assert isinstance(out, bytes) and out.strip()
    if fmt in registry.BINARY:  # Word and Excel: a zip of XML parts, UTF-8 inside
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(out)) as z:
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    else:
        text = out.decode("utf-8")  # UTF-8 in every format, Japanese intact
    if lang == "ja" and fmt is not Format.json:  # JSON keeps keys and ids, not words
        assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
    assert "\x1b[" not in text  # no colours unless asked for


def test_every_report_kind_has_every_format_but_csv():
    kinds = {kind for kind, _ in RENDERERS}
    # a conflict list and the reviewers' statistics have no page of their own (the statistics
    # appear on the ranking's HTML page)
    for kind in kinds - {"rubric", "conflicts", "reviewers"}:
        assert set(registry.formats_for(kind)) >= {Format.terminal, Format.markdown, Format.json, Format.html}


def test_terminal_colours_only_when_asked():
    view = _view("assessment")
    assert b"\x1b[" in registry.render(view, Format.terminal, lang="en", width=80, color=True)
    plain = registry.render(view, Format.terminal, lang="en", width=80).decode()
    assert max(len(line) for line in plain.splitlines()) <= 80


@pytest.mark.parametrize(
    ("args", "lang", "words"),
    [
        (("assess", EXAMPLES / "other-ocean-data-ph.yaml", "--no-input"), "en", "cannot write csv"),
        (("check", EXAMPLES / "satreps-flood-ews-th.yaml"), "ja", "csv 形式では出力できません"),
        (("consolidate", JR03, CALL / "reviews/CALL26-JR-03"), "en", "cannot write csv"),
        (("criteria",), "en", "cannot write csv"),
    ],
)
def test_a_format_the_command_cannot_write_is_refused_in_words(invoke, args, lang, words):
    result = invoke(*args, "--format", "csv", "--lang", lang)
    assert result.exit_code == 2 and not result.stdout
    assert words in result.stderr and "terminal, " in result.stderr and "json" in result.stderr
    assert "Traceback" not in result.stderr
