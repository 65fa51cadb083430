"""Every word the questionnaire says, in Japanese and English."""

from __future__ import annotations

from ..i18n import catalog

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (ja, en)
    "banner": ("sti-review 審査票", "sti-review questionnaire"),
    "summary": ("概要", "Summary"),
    "to_answer": (
        "回答する評価項目：{total}件（{by_section}）",
        "Criteria to answer: {total} ({by_section})",
    ),
    "to_answer_left": (
        "残り{left}件／全{total}件（{by_section}）",
        "{left} of {total} criteria left ({by_section})",
    ),
    "gates_note": ("うち要件 {ids} は「適・条件付き適・不適」で判定します", "gates {ids} take a verdict"),
    "portfolio_skipped": (
        "{id}（{title}）は複数の提案を横断して評価するポートフォリオ評価項目のため、ここでは回答しません"
        "（sti-review portfolio で評価します）。",
        "{id} ({title}) is a portfolio criterion, judged across proposals (sti-review "
        "portfolio), so it is not asked here.",
    ),
    "commands": (
        "どの入力欄でも: b 戻る · s 飛ばす · ? 尺度とヘルプ · q 保存して終了（Ctrl-C でも保存されます）",
        "At any prompt: b back · s skip · ? scale and help · q save and quit (Ctrl-C saves too)",
    ),
    "saving_to": ("回答は入力のたびに {path} へ保存されます。", "Each answer is saved to {path} at once."),
    "resuming": (
        "{path} の続きから再開します（{reviewer}、{done}/{total}件 回答済み）。{next} から続けます。",
        "Resuming the review in {path} ({reviewer}, {done} of {total} answered); continuing at {next}.",
    ),
    "ask_reviewer": ("審査委員のお名前", "Your name, as the reviewer"),
    "default_is": ("［Enter で {value}］", " [Enter: {value}]"),
    "reviewer_needed": ("お名前を入力してください。", "Please type your name."),
    "reviewer_is": ("審査委員：{name}", "Reviewer: {name}"),
    "changed_rubric": (
        "この審査票は評価基準 {old} で始められましたが、現在の評価基準は {new} です。"
        "回答済みの評価項目は引き続き有効ですが、評価の観点や目安が変わっている可能性があります。",
        "This review was begun against the rubric {old}; the rubric in use is {new}. "
        "Answers given so far are kept, but questions or guidance may have changed.",
    ),
    "changed_proposal": (
        "提案書のファイルは、この審査票が最後に保存された後に変更されています（{old} → {new}）。"
        "回答済みの評価項目は変更前の記述に基づいています。最後の一覧で見直せます。",
        "The proposal file has changed since this review was last saved ({old} → {new}). "
        "Answers given so far refer to the earlier text; you can revisit them in the summary at the end.",
    ),
    "continue_anyway": ("このまま続けますか？ [Y/n]", "Continue with this review? [Y/n]"),
    "yes_no_hint": ("y（はい）か n（いいえ）で答えてください。", "Please answer y (yes) or n (no)."),
    "position": (
        "{id} · {pos}/{total} · 回答済み {done}/{total}",
        "{id} · {pos}/{total} · answered {done}/{total}",
    ),
    "proposal_text": ("提案書の記述（{id}）", "The proposal on {id}"),
    "no_proposal_text": ("（提案書に {id} の記述はありません）", "(the proposal has no text for {id})"),
    "evidence_heading": ("提案書の該当箇所", "Evidence in the proposal"),
    "question": ("評価の観点", "Question"),
    "prechecks": ("事前チェックの指摘", "Pre-check findings"),
    "guidance": ("評価の目安", "Guidance"),
    "kind_score_line": ("評点 {scale}{na}", "score {scale}{na}"),
    "kind_gate_line": ("要件：適・条件付き適・不適で判定", "gate: pass / conditional / fail"),
    "na_possible": ("、該当なし可", ", N/A allowed"),
    "current_answer": ("現在の回答: {answer}", "Current answer: {answer}"),
    "ask_score": (
        "{id} 評点 {lo}〜{hi}（{step}刻み{na}）{default}",
        "{id} score {lo}–{hi} (steps of {step}{na}){default}",
    ),
    "ask_score_na": ("、該当なしは na", "; na = not applicable"),
    "ask_verdict": (
        "{id} 判定  p = 適 · c = 条件付き適 · f = 不適{default}",
        "{id} verdict  p = pass · c = conditional · f = fail{default}",
    ),
    "ask_condition": ("条件 {n}{hint}", "Condition {n}{hint}"),
    "condition_first_hint": ("（1行に1つ、空行で終了）", " (one per line, empty line when done)"),
    "condition_keep_hint": (
        "（Enter で上の {n} 件をそのまま使う／新しく入力）",
        " (Enter keeps the {n} above, or type new ones)",
    ),
    "condition_more_hint": ("（空行で終了）", " (empty line when done)"),
    "current_conditions": ("現在の条件:", "Current conditions:"),
    "ask_comment_required": (
        "{id} コメント（必須: {why}）{default}",
        "{id} comment (required: {why}){default}",
    ),
    "ask_comment_optional": (
        "{id} コメント（任意、Enter で省略）{default}",
        "{id} comment (optional, Enter to leave empty){default}",
    ),
    "default_keep": ("［Enter で現在の値: {value}］", " [Enter keeps {value}]"),
    "default_keep_comment": (
        "［Enter で現在のコメントを保持、- で削除］",
        " [Enter keeps the comment above, - removes it]",
    ),
    "why_low_score": ("評点 {limit} 以下", "a score of {limit} or less"),
    "why_verdict": ("判定「{verdict}」", "the verdict {verdict}"),
    "why_na": ("該当なし", "N/A"),
    "comment_needed": (
        "コメントが必要です（{why}）。理由を簡潔に書いてください。",
        "A comment is needed ({why}): say briefly why.",
    ),
    "current_comment": ("現在のコメント: {comment}", "Current comment: {comment}"),
    "err_empty_score": (
        "評点を入力してください（{lo}〜{hi}、{step}刻み{na}）。",
        "Please type a score: {lo}–{hi} in steps of {step}{na}.",
    ),
    "err_not_number": (
        "「{text}」は評点として読み取れません。{lo}〜{hi}の{step}刻みで入力してください{na}（? でヘルプ）。",
        "“{text}” is not a score. Type a number from {lo} to {hi} in steps of {step}{na} (? for help).",
    ),
    "err_na_hint": ("。該当なしは na", "; na for not applicable"),
    "err_out_of_range": (
        "{value} は評点尺度（{lo}〜{hi}）の範囲外です。",
        "{value} is outside the scale {lo}–{hi}.",
    ),
    "err_off_step": (
        "{value} は{step}刻みになっていません。{near} のいずれかを入力してください。",
        "{value} is not on the scale's steps of {step}: use {near}.",
    ),
    "err_na_not_allowed": ("{id} には「該当なし」は使えません。", "N/A is not allowed for {id}."),
    "err_gate_na": (
        "{id} は要件のため「該当なし」にはできません。p・c・f のいずれかで判定してください。",
        "{id} is a gate and is always judged: answer p, c or f.",
    ),
    "err_verdict": (
        "「{text}」は判定として読めません。p（適）・c（条件付き適）・f（不適）で答えてください。",
        "“{text}” is not a verdict. Answer p (pass), c (conditional) or f (fail).",
    ),
    "err_empty_verdict": (
        "判定を入力してください: p（適）・c（条件付き適）・f（不適）。",
        "Please answer p (pass), c (conditional) or f (fail).",
    ),
    "err_gate_score": (
        "{id} は要件のため、評点ではなく判定（p・c・f）で回答してください。",
        "{id} is a gate: it takes a verdict (p, c or f), not a score.",
    ),
    "err_need_condition": (
        "条件付き適には条件が少なくとも1つ必要です。",
        "A conditional verdict needs at least one condition.",
    ),
    "err_first": (
        "最初の評価項目です。これより前には戻れません。",
        "This is the first criterion; there is nothing before it.",
    ),
    "err_not_here": ("ここでは使えません。", "Not available here."),
    "err_check": ("この回答は保存できません: {problem}", "This answer cannot be saved: {problem}"),
    "saved_answer": ("✓ {id} {answer} — 保存しました", "✓ {id} {answer} — saved"),
    "skipped": (
        "{id} を飛ばしました（未回答のまま。最後の一覧から回答できます）。",
        "{id} skipped (left unanswered; you can answer it from the summary).",
    ),
    "kept": ("{id} は変更していません。", "{id} left unchanged."),
    "help_title": ("ヘルプ", "Help"),
    "help_scale": ("評点尺度：{lo}〜{hi}（{step}刻み）", "Scale: {lo}–{hi} in steps of {step}"),
    "help_half": (
        "中間の評点（例：3.5）には、下の整数の目安が当てはまります。全角数字（４．５）も使えます。",
        "A half point (e.g. 3.5) takes the label of the point below. Full-width digits (４．５) work too.",
    ),
    "help_na": (
        "na（N/A・該当なし）: この提案に当てはまらない評価項目。コメント必須。",
        "na (N/A, 該当なし): the criterion does not apply to this proposal; needs a comment.",
    ),
    "help_comments": ("コメント必須: {rules}", "A comment is required for {rules}"),
    "help_verdicts": (
        "判定：p＝適 · c＝条件付き適（条件を列挙）· f＝不適（採択候補としない）",
        "Verdicts: p = pass · c = conditional (list the conditions) · f = fail (blocks funding)",
    ),
    "help_enter": (
        "Enter: 既に回答がある場合はその値を保持します。",
        "Enter: keeps the current answer, when there is one.",
    ),
    "summary_title": ("回答の一覧", "Your answers"),
    "summary_answered": ("{done}/{total}件 回答済み", "{done} of {total} answered"),
    "summary_missing": ("未回答: {ids}", "Not answered yet: {ids}"),
    "summary_prompt": (
        "変更する評価項目の ID（例：B4）／Enter で確定して結果を表示／q で保存して終了",
        "A criterion id to change (e.g. B4) · Enter to finish and see the report · q to save and quit",
    ),
    "summary_unknown": (
        "「{text}」はこの提案の評価項目ではありません。例：{example}",
        "“{text}” is not a criterion of this proposal; e.g. {example}",
    ),
    "summary_portfolio": (
        "{id} はポートフォリオ評価項目のため、ここでは回答しません。",
        "{id} is a portfolio criterion and is not answered here.",
    ),
    "answer_missing_now": (
        "未回答の評価項目があります（{ids}）。今から回答しますか？ [Y/n]",
        "Not answered yet: {ids}. Answer them now? [Y/n]",
    ),
    "not_answered": ("未回答", "not answered"),
    "stop_interrupted": (
        "中断しました。回答は {path} に保存されています（{done}/{total}件）。",
        "Interrupted. Your answers are saved in {path} ({done} of {total} answered).",
    ),
    "stop_quit": (
        "保存しました：{path}（{done}/{total}件 回答済み）。",
        "Saved to {path} ({done} of {total} answered).",
    ),
    "stop_declined": ("中止しました。{path} は変更していません。", "Stopped; {path} was not changed."),
    "stop_nothing": ("中断しました。まだ何も保存していません。", "Interrupted before anything was saved."),
    "stop_pending": (
        "入力途中だった {id} は保存していません（再開時にもう一度たずねます）。",
        "{id} was not finished and is not saved; you will be asked it again.",
    ),
    "resume_with": ("再開するには：{command}", "To resume: {command}"),
    "report_with": ("審査結果を表示するには：{command}", "To see the report: {command}"),
    "finished": ("全ての回答を {path} に保存しました。", "All answers are saved in {path}."),
    "field_summary": ("概要", "Summary"),
    "field_objectives_section": ("申告された目的（{section}）", "Declared objectives ({section})"),
    "field_objectives": ("申告された目的", "Declared objectives"),
    "field_kpis": ("成果指標", "Indicators"),
    "field_kpis_missing": ("指標のない目的", "Objectives without an indicator"),
    "field_risks": ("リスクと対策", "Risks and mitigation"),
    "field_integrity": ("研究インテグリティに係る手続", "Integrity procedures"),
    "field_integrity_notes": ("補足", "Notes"),
    "field_partners": ("相手国・機関", "Partners"),
    "field_team": ("体制", "Team"),
    "field_team_mix": ("構成", "Composition"),
    "field_team_count": ("{n}名", "{n} people"),
    "field_lead": ("研究代表者", "Lead"),
    "field_budget": ("申請額", "Budget"),
    "field_none": ("（記載なし）", "(none given)"),
    "mitigation": ("対策", "mitigation"),
    # concurrent editing and undecodable input
    "err_undecodable": (
        "入力に文字として読めないバイトがあります（端末の文字コードが UTF-8 ではない可能性があります）。"
        "保存していません。もう一度入力してください。",
        "The input holds bytes that are not text (is the terminal's encoding UTF-8?). "
        "Nothing was saved; please type it again.",
    ),
    "locked": (
        "{path} は {user}（{host}、プロセス {pid}）が {since} から編集中です。"
        "読み取り専用で開きます（回答は保存しません）。",
        "{path} is being edited by {user} on {host} (process {pid}) since {since}. "
        "It is opened read-only (no answer is saved).",
    ),
    "locked_unknown": (
        "{path} は別のプロセスが編集中です（ロックファイル {lock}）。読み取り専用で開きます。",
        "{path} is being edited by another process (lock file {lock}). It is opened read-only.",
    ),
    "locked_hint": (
        "相手の作業が終わってから再度実行してください。"
        "相手のプロセスが残っていないことが確かなら {lock} を削除できます。",
        "Run again when they are done; if you are sure their process is gone, delete {lock}.",
    ),
    "merged": (
        "他のプロセスが同時に保存した回答を取り込みました: {ids}",
        "Merged answers another process saved meanwhile: {ids}",
    ),
    "clash": (
        "{id} の回答が他のプロセスによって変更されています。"
        "あなたの回答: {mine} / ファイル上の回答: {theirs}",
        "{id} was changed by another process. Yours: {mine} / on disk: {theirs}",
    ),
    "clash_prompt": (
        "どちらを残しますか？ m = あなたの回答 / t = ファイル上の回答",
        "Which one to keep? m = yours / t = the one on disk",
    ),
}
_ = catalog(MESSAGES)
