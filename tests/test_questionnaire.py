"""The questionnaire without a terminal: parsing answers, the walk through a scripted prompter,
saving after every answer, resuming, and telling the reviewer what changed.

The walks use a copy of examples/other-ocean-data-ph.yaml (programme "other": 17 criteria to
answer, A1 A2 A3 B1 B2 B3 B4 C1 C2 C3 C4 X1 X2 X4 X5 X6 X7; gates A2 and X7; X3 is portfolio)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from rich.cells import cell_len

from sti_review import questionnaire as q
from sti_review.errors import InputError
from sti_review.review import Review, read_review, save_review
from sti_review.rubric import load_rubric

from .conftest import DATA, EXAMPLES, ROOT

ORDER = ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "X1", "X2", "X4", "X5", "X6", "X7"]
GATES = {"A2", "X7"}


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


@pytest.fixture
def proposal(tmp_path: Path) -> Path:
    path = tmp_path / "ocean.yaml"
    shutil.copy(EXAMPLES / "other-ocean-data-ph.yaml", path)
    return path


def review_path(proposal: Path) -> Path:
    return proposal.with_name("ocean.review.yaml")


def saved(proposal: Path) -> dict:
    return yaml.safe_load(review_path(proposal).read_text(encoding="utf-8"))


# Asked first while a review has no declaration: the confidentiality pledge (y), then no
# conflict of interest (0). ``walk`` types them unless told otherwise.
DECLARE = ["y", "0"]


# Asked after the last criterion while the review gives no overall grade (the MEXT rubric
# defines one): the grade (3, A very good), then an empty committee-only comment.
GRADE = ["3", ""]


def walk(proposal: Path, answers, lang="en", default_reviewer="Aya Kobayashi", declare=None):
    """Run the questionnaire on ``proposal`` with scripted answers; (result, prompter, session)."""
    job, earlier = q.open_for_walk(proposal)
    if declare is None:
        declare = job.review.review.declaration is None
    session = q.Session(job, earlier)
    prompter = q.ScriptedPrompter((DECLARE if declare else []) + list(answers))
    result = q.Questionnaire(session, prompter, lang, default_reviewer=default_reviewer).run()
    return result, prompter, session


def plain(ids=ORDER, score="4"):
    """Answers for ``ids`` with no comments: a score (or pass for a gate) and an empty comment."""
    out = []
    for cid in ids:
        out += ["p" if cid in GATES else score, ""]
    return out


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    "text, value",
    [
        ("4.5", 4.5),
        ("4", 4.0),
        (" 3 ", 3.0),
        ("４．５", 4.5),  # full-width digits and point, as a Japanese IME types them
        ("４", 4.0),
        ("4,5", 4.5),  # a decimal comma
        ("４点", 4.0),
        ("0", 0.0),
        ("5.0", 5.0),
        (".5", 0.5),
        ("na", "na"),
        ("N/A", "na"),
        ("ＮＡ", "na"),
        ("該当なし", "na"),
    ],
)
def test_scores_are_read_leniently(rubric, text, value):
    assert q.parse_score(text, rubric, rubric.criteria["A1"]) == value


@pytest.mark.parametrize(
    "text, key, fragment",
    [
        ("4.3", "err_off_step", "use 4 / 4.5"),
        ("4.25", "err_off_step", "steps of 0.5"),
        ("7", "err_out_of_range", "outside the scale 0–5"),
        ("-1", "err_out_of_range", "outside"),
        ("abc", "err_not_number", "“abc” is not a score"),
        ("nan", "err_not_number", "not a score"),
        ("inf", "err_not_number", "not a score"),
        ("4.5.1", "err_not_number", "not a score"),
        ("1e0", "err_not_number", "not a score"),
    ],
)
def test_bad_scores_get_a_hint(rubric, text, key, fragment):
    with pytest.raises(q.AnswerError) as caught:
        q.parse_score(text, rubric, rubric.criteria["A1"])
    assert caught.value.key == key
    assert fragment in caught.value.text("en")
    assert caught.value.text("ja")  # every message exists in Japanese too


def test_na_only_where_the_rubric_allows_it(rubric):
    crit = rubric.criteria["A1"].model_copy(update={"na_allowed": False})
    with pytest.raises(q.AnswerError) as caught:
        q.parse_score("na", rubric, crit)
    assert caught.value.text("en") == "N/A is not allowed for A1."


@pytest.mark.parametrize(
    "text, verdict",
    [
        ("p", "pass"),
        ("Pass", "pass"),
        ("ｐ", "pass"),
        ("適", "pass"),
        ("c", "conditional"),
        ("条件付き", "conditional"),
        ("条件付き適", "conditional"),
        ("f", "fail"),
        ("FAIL", "fail"),
        ("不適", "fail"),
    ],
)
def test_verdicts_in_both_languages(rubric, text, verdict):
    assert q.parse_verdict(text, rubric.criteria["A2"]) == verdict


@pytest.mark.parametrize("text, key", [("na", "err_gate_na"), ("4", "err_gate_score"), ("x", "err_verdict")])
def test_a_gate_takes_only_a_verdict(rubric, text, key):
    with pytest.raises(q.AnswerError) as caught:
        q.parse_verdict(text, rubric.criteria["X7"])
    assert caught.value.key == key


@pytest.mark.parametrize(
    "text, command",
    [
        ("b", "back"),
        ("ｂ", "back"),
        (" S ", "skip"),
        ("?", "help"),
        ("？", "help"),
        ("q", "quit"),
        ("Ｑ", "quit"),
    ],
)
def test_commands_are_one_key_also_full_width(text, command):
    assert q.parse_command(text) == command


@pytest.mark.parametrize("text", ["", "bb", "back", "p", "c", "f", "4", "quit now"])
def test_other_text_is_no_command(text):
    # The verdict shortcuts p, c and f never collide with a command.
    assert q.parse_command(text) is None


def test_resume_command_is_quoted_for_the_shell():
    command = q.resume_command("my proposals/a.yaml", review="r.yaml", lang="ja", options=["--format=json"])
    assert command == "sti-review assess 'my proposals/a.yaml' --review r.yaml --lang ja --format=json"


# --------------------------------------------------------------------------- wrapping


JA = (
    "我が国の研究力にとっての価値が記載されていない、または「国際化」「交流促進」といった一般論にとどまる。"
    "連携相手を選んだ理由や相手側の強み（設備、データ、技術、研究者）が示されず、交流・協力の内容（共同実験、"
    "相互派遣等）が研究目的と結びついていない。"
)


@pytest.mark.parametrize("width", [20, 31, 40, 57, 80])
def test_japanese_wraps_with_kinsoku(width):
    lines = q.wrap(JA, width)
    assert "".join(lines) == JA  # nothing lost, nothing added
    assert all(cell_len(line) <= width for line in lines)
    for line in lines[1:]:
        assert line[0] not in "、。）」", line
    for line in lines[:-1]:
        assert line[-1] not in "（「", line


def test_english_wraps_between_words():
    text = "The value for Japan's research capability is not stated, or stays at generalities."
    lines = q.wrap(text, 30)
    assert " ".join(lines) == text
    assert all(cell_len(line) <= 30 for line in lines)


def test_a_word_longer_than_the_line_is_folded():
    lines = q.wrap("x" * 25, 10)
    assert lines == ["x" * 10, "x" * 10, "x" * 5]


# --------------------------------------------------------------------------- the walk


def test_a_full_walk_saves_a_complete_valid_review(proposal, rubric):
    result, prompter, session = walk(proposal, [""] + plain() + GRADE + [""])  # Enter: the default name
    assert result.status == "done"
    data = saved(proposal)
    assert data["overall"] == {"grade": 3}
    assert data["reviewer"] == "Aya Kobayashi"
    assert data["rubric"] == "mext-sti-international-2021@1"
    assert data["proposal_fingerprint"] == session.loaded.fingerprint
    assert list(data["answers"]) == ORDER
    assert data["answers"]["A1"] == {"score": 4}
    assert data["answers"]["X7"] == {"verdict": "pass"}
    _, problems = read_review(review_path(proposal), rubric, session.proposal)
    assert problems == []
    assert "All answers are saved" in prompter.transcript


def test_the_start_shows_the_proposal_and_what_is_to_be_scored(proposal):
    _, prompter, _ = walk(proposal, [])
    text = prompter.transcript
    assert "OTH-2026-009" in text
    assert "Philippines–Japan workshop series" in text
    assert "Philippines Central Visayas Marine Science Institute" in text  # the country in words
    assert "B.public_goods" in text
    assert "Criteria to answer: 17 (A 3 · B 4 · C 4 · X 6)" in text
    assert "X3 (Gaps and overlaps with existing programmes) is a portfolio criterion" in text
    assert "b back · s skip · ? scale and help · q save and quit" in text
    # The declaration comes first, before the name and any score.
    assert prompter.prompts[0].startswith("Confidentiality: I will use this proposal for this review only")
    assert prompter.prompts[1] == "Conflict of interest: 0 = none, 1–6 = the category that applies"
    assert prompter.prompts[2] == "Your name, as the reviewer [Enter: Aya Kobayashi]"


def test_each_criterion_shows_question_guidance_evidence_and_progress(proposal, rubric):
    _, prompter, _ = walk(proposal, ["Aya"] + plain(ORDER[:14]))
    text = prompter.transcript
    # A1: the question (verbatim), the three guidance levels, the proposal's own text
    assert "What value does the research have for Japan's research capability?" in text
    for level in ("low (0–1)", "middle (2–3)", "high (4–5)"):
        assert level in text
    assert "The workshops give Japanese marine scientists access to tropical coastal data" in text
    assert "A1 · 1/17 · answered 0/17" in text
    assert " A 1/3 " in text
    # X4: the indicators, and the declared objectives that have none
    assert "Number of workshops held → Several per year" in text
    assert "Objectives without an indicator: A.networks, B.sdgs, C.presence" in text
    # A2: the integrity procedures; B4: the risks with their mitigation
    assert "Integrity procedures" in text and "conflict of interest" in text
    assert "Typhoons may force workshops to be postponed." in text
    # X3 is explained once, when the walk passes it
    assert text.count("is a portfolio criterion") >= 1


def test_every_answer_is_saved_at_once(proposal):
    result, _, _ = walk(proposal, ["Aya", "4", "", "p", "", "3"])  # input ends while typing A3
    assert result.status == "interrupted"
    assert saved(proposal)["answers"] == {"A1": {"score": 4}, "A2": {"verdict": "pass"}}
    assert result.pending == "A3"


def test_an_invalid_score_is_asked_again_with_a_hint(proposal):
    _, prompter, _ = walk(proposal, ["Aya", "4.3", "seven", "７", "４．５", ""])
    text = prompter.transcript
    assert "4.3 is not on the scale's steps of 0.5: use 4 / 4.5." in text
    assert "“seven” is not a score" in text
    assert "7 is outside the scale 0–5." in text
    assert saved(proposal)["answers"]["A1"] == {"score": 4.5}


def test_a_required_comment_is_insisted_on(proposal):
    script = ["Aya", "2", "", "   ", "Only workshops; no joint research.", "", "Add joint research."]
    _, prompter, _ = walk(proposal, script)
    assert prompter.transcript.count("A comment is needed (a score of 2 or less)") == 2
    assert prompter.prompts[3:7] == ["A1 score 0–5 (steps of 0.5; na = not applicable)"] + 3 * [
        "A1 comment (required: a score of 2 or less)"
    ]
    # Below the pass line (3) the rubric asks for feedback to the applicant too: insisted on.
    assert prompter.prompts[7:9] == 2 * ["A1 feedback to the applicant (required)"]
    assert "Feedback may be shown to the applicant; the comment is read by the committee only." in (
        " ".join(prompter.transcript.split())
    )
    assert "The rubric asks for feedback to the applicant on this answer." in prompter.transcript
    assert saved(proposal)["answers"]["A1"] == {
        "score": 2,
        "comment": "Only workshops; no joint research.",
        "feedback": "Add joint research.",
    }


def test_na_with_its_comment(proposal):
    walk(proposal, ["Aya", "該当なし", "", "Not a research project."])
    assert saved(proposal)["answers"]["A1"] == {"na": True, "comment": "Not a research project."}


def test_a_gate_na_or_score_is_refused(proposal):
    _, prompter, _ = walk(proposal, ["Aya", "4", "", "na", "4", "p", ""])
    assert "A2 is a gate and is always judged" in prompter.transcript
    assert "A2 is a gate: it takes a verdict (p, c or f), not a score." in prompter.transcript
    assert saved(proposal)["answers"]["A2"] == {"verdict": "pass"}


def test_a_conditional_verdict_lists_conditions(proposal):
    answers = [
        "Aya",
        "4",
        "",
        "c",
        "",
        "Sign a data agreement",
        "Name a data steward",
        "",
        "",
        "Two gaps.",
        "Sign it.",
    ]
    _, prompter, _ = walk(proposal, answers)
    assert "A conditional verdict needs at least one condition." in prompter.transcript
    assert "A comment is needed (the verdict conditional)" in prompter.transcript
    assert saved(proposal)["answers"]["A2"] == {
        "verdict": "conditional",
        "conditions": ["Sign a data agreement", "Name a data steward"],
        "comment": "Two gaps.",
        "feedback": "Sign it.",
    }


def test_back_from_a_comment_returns_to_the_conditions(proposal):
    answers = ["Aya", "4", "", "c", "First", "", "b", "", "Because.", "Feedback."]
    walk(proposal, answers)  # Enter at the first condition keeps what was typed
    assert saved(proposal)["answers"]["A2"]["conditions"] == ["First"]


def test_back_goes_to_the_previous_criterion_and_enter_keeps_its_answer(proposal):
    answers = ["Aya", "4", "Good.", "b", "", "", "p", ""]
    _, prompter, _ = walk(proposal, answers)
    assert "A1 score 0–5 (steps of 0.5; na = not applicable) [Enter keeps 4 very good]" in prompter.prompts
    assert saved(proposal)["answers"]["A1"] == {"score": 4, "comment": "Good."}
    assert saved(proposal)["answers"]["A2"] == {"verdict": "pass"}


def test_back_from_the_comment_reasks_the_score(proposal):
    walk(proposal, ["Aya", "2", "b", "3", ""])
    assert saved(proposal)["answers"]["A1"] == {"score": 3}


def test_back_at_the_first_criterion_says_so(proposal):
    _, prompter, _ = walk(proposal, ["Aya", "b", "4", ""])
    assert "This is the first criterion" in prompter.transcript
    assert saved(proposal)["answers"]["A1"] == {"score": 4}


def test_a_minus_removes_an_optional_comment(proposal):
    walk(proposal, ["Aya", "4", "Fine.", "b", "", "-"])
    assert saved(proposal)["answers"]["A1"] == {"score": 4}


def test_skip_leaves_a_criterion_for_the_summary(proposal, rubric):
    answers = ["Aya", "s"] + plain(ORDER[1:]) + GRADE + ["", "y", "4.5", ""] + [""]
    result, prompter, _ = walk(proposal, answers)
    text = prompter.transcript
    assert "A1 skipped" in text
    assert "Not answered yet: A1" in text
    assert "Not answered yet: A1. Answer them now? [Y/n]" in prompter.prompts
    assert result.status == "done"
    assert saved(proposal)["answers"]["A1"] == {"score": 4.5}


def test_leaving_criteria_unanswered_at_the_end(proposal):
    answers = ["Aya", "s"] + plain(ORDER[1:]) + GRADE + ["", "n"]
    result, _, session = walk(proposal, answers)
    assert result.status == "done"
    assert session.missing() == ["A1"]


def test_help_shows_the_scale_and_the_commands(proposal):
    _, prompter, _ = walk(proposal, ["Aya", "?"])
    text = prompter.transcript
    assert "Scale: 0–5 in steps of 0.5" in text
    assert "fails / missing" in text and "excellent" in text
    assert "A comment is required for a score of 2 or less" in text


def test_the_summary_lets_any_answer_be_changed(proposal):
    answers = (
        ["Aya"]
        + plain()
        + GRADE
        + ["ｂ４", "2", "Risks are listed, not analysed.", "Analyse them.", "x3", "Z9", ""]
    )
    result, prompter, _ = walk(proposal, answers)
    text = prompter.transcript
    assert "17 of 17 answered" in text
    assert "X3 is a portfolio criterion and is not answered here." in text
    assert "“Z9” is not a criterion of this proposal" in text
    assert result.status == "done"
    assert saved(proposal)["answers"]["B4"] == {
        "score": 2,
        "comment": "Risks are listed, not analysed.",
        "feedback": "Analyse them.",
    }


def test_quit_saves_and_stops(proposal):
    result, _, session = walk(proposal, ["Aya", "4", "", "q"])
    assert result.status == "quit"
    assert saved(proposal)["answers"] == {"A1": {"score": 4}}
    lines = q.stop_message(result, session, "en", "sti-review assess ocean.yaml")
    assert lines == [
        f"Saved to {review_path(proposal)} (1 of 17 answered).",
        "To resume: sti-review assess ocean.yaml",
    ]


def test_ctrl_c_keeps_what_was_answered_and_names_the_unfinished_one(proposal):
    result, _, session = walk(proposal, ["Aya", "4", "", "p", "", "3", KeyboardInterrupt])
    assert result.status == "interrupted"
    assert saved(proposal)["answers"] == {"A1": {"score": 4}, "A2": {"verdict": "pass"}}
    lines = q.stop_message(result, session, "en", "CMD")
    assert lines[0] == f"Interrupted. Your answers are saved in {review_path(proposal)} (2 of 17 answered)."
    assert lines[1] == "A3 was not finished and is not saved; you will be asked it again."


def test_interrupted_before_anything_creates_no_file(proposal):
    result, _, session = walk(proposal, [KeyboardInterrupt], declare=False)  # at the pledge
    assert result.status == "interrupted"
    assert not review_path(proposal).exists()
    assert q.stop_message(result, session, "en", "CMD")[0] == "Interrupted before anything was saved."


def test_resume_starts_at_the_first_missing_criterion_and_says_so(proposal):
    walk(proposal, ["Aya", "4", "", "p", "", "q"])
    result, prompter, _ = walk(proposal, plain(ORDER[2:]) + GRADE + [""])
    text = " ".join(prompter.transcript.split())
    assert (
        f"Resuming the review in {review_path(proposal)} (Aya, 2 of 17 answered); continuing at A3." in text
    )
    assert not any(p.startswith("Your name") for p in prompter.prompts)
    assert prompter.prompts[0].startswith("A3 score")
    assert result.status == "done"


def test_an_interrupted_and_resumed_review_equals_one_typed_in_one_go(tmp_path, proposal):
    answers = ["Aya"]
    for i, cid in enumerate(ORDER):
        if cid in GATES:
            answers += ["c", f"condition {cid}", "", f"why {cid}", f"fb {cid}"] if cid == "A2" else ["p", ""]
        else:
            score = 1 + i % 4
            answers += [str(score), f"comment {cid}"] + ([f"fb {cid}"] if score < 3 else [])
    answers += ["４", "overall comment"]  # the overall grade, full-width as an IME types it
    answers.append("")
    walk(proposal, answers)
    one_go = review_path(proposal).read_text(encoding="utf-8")

    other = tmp_path / "second"
    other.mkdir()
    second = other / "ocean.yaml"
    shutil.copy(proposal, second)
    cut = answers.index("comment B3")  # stop while typing B3's comment
    walk(second, answers[:cut] + [KeyboardInterrupt])
    rest = answers[answers.index("comment B3") - 1 :]  # B3 is asked again from its score
    result, _, _ = walk(second, rest)
    assert result.status == "done"
    assert review_path(second).read_text(encoding="utf-8") == one_go


def test_a_changed_proposal_is_reported_and_can_be_declined(proposal):
    walk(proposal, ["Aya", "4", "", "q"])
    before = review_path(proposal).read_bytes()
    proposal.write_text(proposal.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result, prompter, _ = walk(proposal, ["maybe", "n"])
    assert "The proposal file has changed since this review was last saved" in prompter.transcript
    assert "Please answer y (yes) or n (no)." in prompter.transcript
    assert result.status == "declined"
    assert review_path(proposal).read_bytes() == before


def test_continuing_after_a_change_records_the_new_fingerprint(proposal):
    walk(proposal, ["Aya", "4", "", "q"])
    old = saved(proposal)["proposal_fingerprint"]
    proposal.write_text(proposal.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result, _, session = walk(proposal, ["y", "q"])
    assert result.status == "quit"
    assert saved(proposal)["proposal_fingerprint"] == session.loaded.fingerprint != old


def test_a_changed_rubric_is_reported(tmp_path, proposal):
    walk(proposal, ["Aya", "4", "", "q"])
    folder = tmp_path / "rubric2"
    shutil.copytree(ROOT / "criteria" / "mext-sti-international-2021", folder)
    main = folder / "rubric.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace("version: 1", "version: 2"), encoding="utf-8")
    job, earlier = q.open_for_walk(proposal, None, folder)
    assert earlier == "mext-sti-international-2021@1"
    session = q.Session(job, earlier)
    prompter = q.ScriptedPrompter(["y", "q"])
    q.Questionnaire(session, prompter, "en").run()
    assert "This review was begun against the rubric mext-sti-international-2021@1" in prompter.transcript
    assert saved(proposal)["rubric"] == "mext-sti-international-2021@2"


def test_a_review_with_other_problems_is_refused(proposal):
    review_path(proposal).write_text(
        "proposal: OTH-2026-009\nreviewer: A\nrubric: mext-sti-international-2021@1\n"
        "answers:\n  A1: {score: 4.3}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        q.open_for_walk(proposal)
    assert "4.3 is not on the scale" in str(caught.value)


def test_japanese_prompts_and_input(proposal):
    answers = [
        "",
        "４．５",
        "相手側データへのアクセスに価値がある",
        "ｃ",
        "データ共有協定の締結",
        "",
        "協定が未締結",
        "データ共有協定の締結を求めます",  # feedback to the applicant: required for a conditional verdict
    ]
    _, prompter, _ = walk(proposal, answers, lang="ja", default_reviewer="山田 花子")
    text = prompter.transcript
    assert "回答する評価項目：17件（A 3・B 4・C 4・X 6）" in text
    assert "評価の観点" in text and "評価の目安" in text
    assert "A1 評点 0〜5（0.5刻み、該当なしは na）" in prompter.prompts
    assert "A2 判定  p = 適 · c = 条件付き適 · f = 不適" in prompter.prompts
    assert "✓ A1 4.5 優れている — 保存しました" in text
    data = saved(proposal)
    assert data["reviewer"] == "山田 花子"
    assert data["answers"]["A1"] == {"score": 4.5, "comment": "相手側データへのアクセスに価値がある"}
    assert data["answers"]["A2"]["conditions"] == ["データ共有協定の締結"]
    assert data["answers"]["A2"]["feedback"] == "データ共有協定の締結を求めます"
    assert data["declaration"]["confidential"] is True and data["declaration"]["conflict"] == "none"
    assert "守秘の誓約" in text and "利害関係" in text
    assert "山田 花子" in review_path(proposal).read_text(encoding="utf-8")  # not \\u escapes


def test_untrusted_text_is_shown_literally(tmp_path):
    proposal = tmp_path / "hostile.yaml"
    text = (DATA / "proposal-hostile.yaml").read_text(encoding="utf-8")
    proposal.write_text(
        text + 'sections:\n  C4: "[bold red]markup[/] and \\e[31mred\\e[0m"\n', encoding="utf-8"
    )
    job, _ = q.open_for_walk(proposal)
    prompter = q.ScriptedPrompter([*DECLARE, "Aya"] + plain(ORDER[:10]))
    q.Questionnaire(q.Session(job), prompter, "en").run()
    shown = prompter.transcript
    assert "[bold]loud[/bold]" in shown  # the title, in the header
    assert "[bold red]markup[/] and \\x1b[31mred" in shown  # C4's own text
    assert "\x1b" not in shown and "\x07" not in shown


def test_an_unwritable_review_location_stops_before_any_answer(tmp_path, proposal):
    job, _ = q.open_for_walk(proposal, tmp_path / "missing-folder" / "r.yaml")
    session = q.Session(job)
    with pytest.raises(InputError) as caught:
        q.Questionnaire(session, q.ScriptedPrompter(["Aya", "4", ""]), "en").run()
    assert "cannot be written" in str(caught.value)


# --------------------------------------------------------------------------- saving


def test_save_review_keeps_the_leading_comments_and_japanese(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("# 記入例\n# second line\nproposal: X\nreviewer: old\nrubric: a@1\n", encoding="utf-8")
    review = Review(
        proposal="X",
        reviewer="鈴木 大輔",
        rubric="a@1",
        answers={"A1": {"score": 4.0, "comment": "一行目\n二行目"}, "B4": {"na": True, "comment": "yes"}},
    )
    save_review(path, review)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 記入例\n# second line\nproposal: X\nreviewer: 鈴木 大輔\n")
    assert "comment: |-\n      一行目\n      二行目\n" in text
    assert yaml.safe_load(text)["answers"] == {
        "A1": {"score": 4, "comment": "一行目\n二行目"},
        "B4": {"na": True, "comment": "yes"},
    }
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]  # no temporary file left behind


def test_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "r.yaml"
    path.write_text("proposal: X\nreviewer: A\nrubric: a@1\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken)
    with pytest.raises(InputError):
        save_review(path, Review(proposal="X", reviewer="B", rubric="a@1"))
    assert path.read_text(encoding="utf-8") == "proposal: X\nreviewer: A\nrubric: a@1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]


# --------------------------------------------------------------------------- the declaration (issue 14)


def test_a_declared_conflict_ends_the_walk_politely_and_is_saved(proposal):
    import datetime as dt

    job, earlier = q.open_for_walk(proposal)
    prompter = q.ScriptedPrompter(["y", "7", "3", "n", "6", "", "co-author of the lead's 2024 paper", "y"])
    session = q.Session(job, earlier)
    walk_ = q.Questionnaire(session, prompter, "en", default_reviewer="Aya", today=dt.date(2026, 5, 1))
    result = walk_.run()
    text = " ".join(prompter.transcript.split())
    assert "Please answer 0 (none) or a number from 1 to 6." in text  # 7: no such category
    assert "the programme office will assign another reviewer" in text
    assert result.status == "conflict"
    data = saved(proposal)
    # 3 was not confirmed (n); 6 (other) needs a note, insisted on; no name, no score asked.
    assert data["declaration"] == {
        "confidential": True,
        "conflict": "other",
        "note": "co-author of the lead's 2024 paper",
        "date": "2026-05-01",
    }
    assert data["answers"] == {}
    assert not any(p.startswith(("Your name", "A1")) for p in prompter.prompts)
    lines = q.stop_message(result, session, "en", "CMD")
    assert lines == [
        f"The declaration is saved in {review_path(proposal)}. If it was a mistake, delete the "
        "declaration from that file and run again."
    ]
    # Resumed: not asked again; the walk stops at once with the same words.
    again, prompter2, _ = walk(proposal, ["4"])
    assert again.status == "conflict" and prompter2.prompts == []


def test_refusing_the_confidentiality_pledge_saves_nothing(proposal):
    result, prompter, session = walk(proposal, ["maybe", "n"], declare=False)
    assert "Please answer y (yes) or n (no)." in prompter.transcript
    assert result.status == "no_pledge"
    assert not review_path(proposal).exists()
    assert q.stop_message(result, session, "en", "CMD") == [
        "No score was saved. Please tell the programme office (they will assign another reviewer)."
    ]


def test_the_declaration_is_asked_once_then_resumed_without_it(proposal):
    walk(proposal, ["Aya", "4", "", "q"])
    assert saved(proposal)["declaration"]["conflict"] == "none"
    result, prompter, _ = walk(proposal, ["q"])
    assert result.status == "quit"
    assert prompter.prompts[0].startswith("A2 verdict")


def test_an_old_review_without_a_declaration_is_asked_it_on_resuming(proposal):
    save_review(
        review_path(proposal),
        Review(proposal="OTH-2026-009", reviewer="Aya", rubric="mext-sti-international-2021@1", answers={}),
    )
    _, prompter, _ = walk(proposal, ["q"])
    assert prompter.prompts[0].startswith("Confidentiality")
    assert saved(proposal)["declaration"]["confidential"] is True


def test_a_prepared_packet_review_is_valid_and_the_walk_asks_its_declaration_first(proposal, rubric):
    from sti_review.packets import review_template

    text = review_template("OTH-2026-009", "r1", "Aya", rubric.ref, None)
    review_path(proposal).write_text(text, encoding="utf-8")
    loaded, problems = read_review(review_path(proposal), rubric, None)
    assert problems == [] and loaded is not None and loaded.review.declaration is None
    assert "\ndeclaration:\n" in text
    _, prompter, _ = walk(proposal, ["4", "", "q"])
    assert prompter.prompts[0].startswith("Confidentiality")
    data = saved(proposal)
    assert data["declaration"]["conflict"] == "none" and data["answers"] == {"A1": {"score": 4}}
    assert review_path(proposal).read_text(encoding="utf-8").startswith("# 審査ファイル")  # header kept
