"""Render every HTML report in both languages, look at it as a reader would, and measure overflow.

    python benchmarks/render_html.py [--out DIR] [--lang ja,en] [--only NAME] [--no-pdf] [--axe PATH]
                                     [--html-validate PATH]

For each language it writes the HTML of: ``assess`` of every example proposal (with its review),
``check`` of the example proposals, ``consolidate`` of CALL26-JR-03 and CALL26-JR-05 (reviewers
disagree), ``rank`` of examples/call-2026 with ``--fund 5``, ``portfolio`` of the call with
examples/programmes-mext.yaml, the Horizon Europe example call, and ``assign`` of the call when
scipy is installed (``reviewers`` has no HTML format). Then, with headless Chromium, each page:

- at 1,280 and 390 CSS px: a PNG of the page's top (``NAME.1280.png``, ``NAME.390.png``, as tall
  as the page up to 6,000 px) and a **horizontal-overflow** measure: the document is wider than the
  window (``document.scrollWidth > innerWidth``) -> the widest elements that stick out are named;
- printed to A4 (``NAME.pdf``, then ``NAME.print-N.png`` at 40 dpi when ``pdftoppm`` is here), with
  the number of pages and the smallest chart text on paper in points (SVG text, scaled as printed);
- **axe-core**, when its ``axe.min.js`` is found (``--axe PATH``, ``$AXE_CORE``,
  ``node_modules/axe-core`` or ``npm pack axe-core`` unpacked in /tmp/axe): its violations.
- **html-validate** (the W3C-like checker; needs no browser), when found (``--html-validate PATH``,
  ``$HTML_VALIDATE``, ``node_modules/.bin``, ``npm install html-validate`` in /tmp/hv, or on
  ``$PATH``): every page written, with ``html-validate:recommended``; its errors.

The measures run on a copy of the page with a probe script added (the report itself carries no
script and a Content-Security-Policy that forbids one). Floors printed beside the figures: 0
overflowing pages, chart text >= 8 pt on A4, 0 axe violations (of any impact), 0 html-validate
errors. Exit status 1 when a page overflows at either width, chart text prints below 8 pt, axe-core
finds a violation, html-validate finds an error, a page is not written or a probe fails (each named
in the summary); 0 otherwise.
Without Chromium the HTML is written and the rest is skipped with a message (exit 0).
On Debian: ``apt-get install chromium fonts-noto-cjk poppler-utils``.
"""

from __future__ import annotations

import argparse
import html as html_lib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CALL = EXAMPLES / "call-2026"
WIDTHS = (1280, 390)
MIN_PRINT_PT = 8.0
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]

# Runs in the probe copy: overflow at this width, the smallest SVG text as printed, axe-core.
PROBE = r"""
<script>
(async () => {
  const out = {width: innerWidth, scroll: document.documentElement.scrollWidth, over: [], minText: null,
    height: document.documentElement.scrollHeight};
  if (out.scroll > out.width) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 1 && el.parentElement.getBoundingClientRect().right <= innerWidth + 1)
        out.over.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '') +
          ' ' + Math.round(r.right) + 'px: ' + (el.textContent || '').trim().slice(0, 50));
    }
    out.over = out.over.slice(0, 5);
  }
  const px = [];
  for (const t of document.querySelectorAll('svg text')) {
    const s = t.ownerSVGElement; if (!s || !s.viewBox.baseVal || !s.viewBox.baseVal.width) continue;
    const r = s.getBoundingClientRect(); if (!r.width) continue;
    px.push(parseFloat(getComputedStyle(t).fontSize) * r.width / s.viewBox.baseVal.width);
  }
  out.minText = px.length ? Math.min(...px) : null;
  if (window.axe) {
    const res = await axe.run(document, {resultTypes: ['violations']});
    out.axe = res.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
      first: v.nodes[0] && v.nodes[0].target.join(' ')}));
  }
  const pre = document.createElement('pre'); pre.id = 'sti-probe';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script>
"""


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def jobs(lang: str) -> list[tuple[str, list[str]]]:
    """(name, sti-review arguments) of every page to render."""
    out = []
    for proposal in sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "horizon-europe").glob("*.yaml")):
        if ".review" in proposal.name or proposal.name.startswith("programmes"):
            continue
        reviews = sorted(proposal.parent.glob(proposal.stem + ".*review.yaml"))
        for review in reviews or [None]:
            tag = review.name.split(".")[1] if review and "partial" in review.name else ""
            args = ["assess", str(proposal)] + (["--review", str(review)] if review else [])
            if proposal.parent.name == "horizon-europe":
                args += ["--rubric", "horizon-europe-2021"]
            out.append((f"assess-{proposal.stem}{'-' + tag if tag else ''}-{lang}", args))
    out.append((f"check-{lang}", ["check", *map(str, sorted((CALL / "proposals").glob("*.yaml")))]))
    for pid in ("CALL26-JR-03", "CALL26-JR-05"):
        out.append(
            (
                f"panel-{pid}-{lang}",
                ["consolidate", str(CALL / "proposals" / f"{pid}.yaml"), str(CALL / "reviews" / pid)],
            )
        )
    out.append((f"ranking-{lang}", ["rank", str(CALL), "--fund", "5"]))
    out.append(
        (
            f"portfolio-{lang}",
            ["portfolio", str(CALL), "--programmes", str(EXAMPLES / "programmes-mext.yaml")],
        )
    )
    out.append(
        (
            f"ranking-he-{lang}",
            ["rank", str(EXAMPLES / "horizon-europe" / "call"), "--rubric", "horizon-europe-2021"],
        )
    )
    if has("scipy"):  # the assign extra; `reviewers` has no HTML format
        out.append((f"assign-{lang}", ["assign", str(CALL), "--reviewers", str(CALL / "reviewers.yaml")]))
    return out


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if shutil.which(explicit) or Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def find_axe(explicit: Path | None) -> Path | None:
    candidates = [explicit] if explicit else []
    if os.environ.get("AXE_CORE"):
        candidates.append(Path(os.environ["AXE_CORE"]))
    candidates += [
        ROOT / "node_modules" / "axe-core" / "axe.min.js",
        Path("/tmp/axe/package/axe.min.js"),
        Path("/usr/share/javascript/axe-core/axe.min.js"),
    ]
    return next((c for c in candidates if c and c.is_file()), None)


def find_html_validate(explicit: Path | None) -> str | None:
    candidates = [str(explicit)] if explicit else []
    if os.environ.get("HTML_VALIDATE"):
        candidates.append(os.environ["HTML_VALIDATE"])
    candidates += [
        str(ROOT / "node_modules" / ".bin" / "html-validate"),
        "/tmp/hv/node_modules/.bin/html-validate",
        shutil.which("html-validate") or "",
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def html_validate(tool: str, pages: list[Path]) -> list[str] | None:
    """html-validate's errors on ``pages`` ("page line:col rule: message"); None when it fails."""
    with tempfile.TemporaryDirectory(prefix="sti-hv-") as tmp:
        config = Path(tmp) / "htmlvalidate.json"
        config.write_text('{"extends": ["html-validate:recommended"]}', encoding="utf-8")
        try:
            proc = subprocess.run(
                [tool, "-c", str(config), "-f", "json", *map(str, pages)],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            results = json.loads(proc.stdout or "[]")
        except (OSError, subprocess.TimeoutExpired, ValueError):
            return None
    return [
        f"{Path(r['filePath']).name} {m['line']}:{m['column']} {m['ruleId']}: {m['message']}"
        for r in results
        for m in r["messages"]
        if m.get("severity", 2) >= 2
    ]


def render_html(args: list[str], lang: str, target: Path) -> bool:
    cmd = [
        sys.executable,
        "-m",
        "sti_review",
        *args,
        "--lang",
        lang,
        "-f",
        "html",
        "-o",
        str(target),
        "--force",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if not target.exists():
        print(f"  not written ({proc.returncode}): {' '.join(args)}\n  {proc.stderr.strip()[-300:]}")
        return False
    return True


def chromium_run(
    chromium: str, extra: list[str], url: str, timeout: int = 120
) -> subprocess.CompletedProcess | None:
    with tempfile.TemporaryDirectory(prefix="sti-chromium-") as profile:
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return None


def framed(page_text: str, width: int, height: int, copy_probe: bool) -> str:
    """The page inside an iframe exactly ``width`` px wide: headless Chromium's window is never
    narrower than 500 px, so a phone's 390 px is an iframe (its media queries see 390)."""
    copy = ""
    if copy_probe:
        copy = (
            "<script>const poll = () => { const d = document.getElementById('f').contentDocument;"
            " const p = d && d.getElementById('sti-probe'); if (p) { const q = document.createElement('pre');"
            " q.id = 'sti-probe'; q.textContent = p.textContent; document.body.appendChild(q); }"
            " else setTimeout(poll, 100); }; poll();</script>"
        )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        f'<iframe id="f" width="{width}" height="{height}" style="border:0;display:block" '
        f'srcdoc="{html_lib.escape(page_text, quote=True)}"></iframe>{copy}</body></html>'
    )


def probe(chromium: str, page: Path, width: int, axe: Path | None, as_printed: bool = False) -> dict | None:
    text = page.read_text(encoding="utf-8")
    if as_printed:  # the print style sheet applies, the screen-only rules do not
        text = re.sub(
            r"@media screen[^{]*\{", "@media (max-width: 1px) {", text.replace("@media print", "@media all")
        )
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    script = PROBE
    if axe is not None:
        script = "<script>" + axe.read_text(encoding="utf-8") + "</script>\n" + PROBE
    copy = page.with_name(f".probe-{page.stem}.html")
    copy.write_text(framed(text.replace("</body>", script + "</body>"), width, 900, True), encoding="utf-8")
    try:
        proc = chromium_run(
            chromium,
            [f"--window-size={max(width, 500)},900", "--virtual-time-budget=30000", "--dump-dom"],
            copy.resolve().as_uri(),
        )
    finally:
        copy.unlink()
    if proc is None:
        return None
    m = re.search(r'<pre id="sti-probe">(.*?)</pre>', proc.stdout, re.S)
    return json.loads(html_lib.unescape(m.group(1))) if m else None


def screenshot(chromium: str, page: Path, png: Path, width: int, height: int) -> bool:
    copy = page.with_name(f".shot-{page.stem}.html")
    copy.write_text(framed(page.read_text(encoding="utf-8"), width, height, False), encoding="utf-8")
    try:
        proc = chromium_run(
            chromium, [f"--window-size={width},{height}", f"--screenshot={png}"], copy.resolve().as_uri()
        )
    finally:
        copy.unlink()
    return proc is not None and png.exists()


def print_pdf(chromium: str, page: Path, pdf: Path) -> int | None:
    """Print to A4 as a reader would; the number of pages (and each as PNG with pdftoppm)."""
    proc = chromium_run(
        chromium, ["--no-pdf-header-footer", f"--print-to-pdf={pdf}"], page.resolve().as_uri()
    )
    if proc is None or not pdf.exists():
        return None
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is not None:
        for old in pdf.parent.glob(f"{pdf.stem}.print-*.png"):
            old.unlink()
        subprocess.run(
            [pdftoppm, "-png", "-r", "40", str(pdf), str(pdf.with_name(f"{pdf.stem}.print"))],
            check=False,
            capture_output=True,
        )
    return pages


def print_probe(chromium: str, page: Path) -> float | None:
    """The smallest chart text in points when printed: the page laid out at A4's printable width."""
    # A4 is 210 mm; the print style sheet's @page margins (12 mm each side) leave 186 mm = 703 px.
    got = probe(chromium, page, 703, None, as_printed=True)
    return None if got is None or got["minText"] is None else got["minText"] * 0.75


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "sti-review-html")
    parser.add_argument("--lang", default="ja,en", help="comma-separated: ja,en")
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--no-pdf", action="store_true", help="skip printing to A4")
    parser.add_argument("--axe", type=Path, default=None, help="axe.min.js of axe-core")
    parser.add_argument("--html-validate", type=Path, default=None, help="the html-validate command")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium()
    if chromium is None:
        print("skipped: no Chromium (chromium, chromium-browser, google-chrome or $CHROMIUM); HTML only.")
    axe = find_axe(args.axe)
    if chromium is not None:
        print(f"axe-core: {axe}" if axe else "axe-core: not found (npm pack axe-core; --axe PATH): skipped")
    overflowing, small_print, serious, pages_total = [], [], 0, 0
    axe_found: list[str] = []  # every violation, any impact: the next engineer sees regressions
    broken: list[str] = []  # pages not written or probes that failed
    written: list[Path] = []
    start = time.perf_counter()
    for lang in (x.strip() for x in args.lang.split(",")):
        for name, cli_args in jobs(lang):
            if args.only not in name:
                continue
            page = args.out / f"{name}.html"
            if not render_html(cli_args, lang, page):
                broken.append(f"{name}: not written")
                continue
            written.append(page)
            if chromium is None:
                continue
            line = [name]
            for width in WIDTHS:
                got = probe(chromium, page, width, axe if width == WIDTHS[0] else None)
                if got is None:
                    line.append(f"{width}: probe failed")
                    broken.append(f"{name} at {width}px: probe failed")
                    continue
                if got["scroll"] > got["width"]:
                    overflowing.append(
                        f"{name} at {width}px: {got['scroll']}px wide; " + " | ".join(got["over"])
                    )
                    line.append(f"{width}: OVERFLOW {got['scroll']}px")
                else:
                    line.append(f"{width}: fits ({got['width']}px)")
                if got["minText"] is not None:
                    line.append(f"chart text {got['minText']:.1f}px")
                for v in got.get("axe", []):
                    serious += v["impact"] in ("serious", "critical")
                    axe_found.append(f"{name}: {v['impact']} {v['id']} x{v['n']} ({v['first']})")
                    line.append(f"axe {v['impact']} {v['id']} x{v['n']} ({v['first']})")
                height = min(6000, max(900, got["height"]))
                screenshot(chromium, page, page.with_name(f"{name}.{width}.png"), width, height)
            if not args.no_pdf:
                pages = print_pdf(chromium, page, page.with_suffix(".pdf"))
                pt = print_probe(chromium, page)
                pages_total += pages or 0
                line.append(f"A4: {pages} pages" + (f", chart text {pt:.1f} pt" if pt is not None else ""))
                if pt is not None and pt < MIN_PRINT_PT:
                    small_print.append(f"{name}: {pt:.1f} pt")
            print("  ".join(line), flush=True)
    validator = find_html_validate(args.html_validate)
    hv_errors: list[str] | None = None
    if validator is None:
        print("html-validate: not found (npm install html-validate; --html-validate PATH): skipped")
    elif written:
        hv_errors = html_validate(validator, written)
        if hv_errors is None:
            broken.append("html-validate: did not run")
        else:
            print(f"html-validate (recommended) errors on {len(written)} pages: {len(hv_errors)} (floor 0)")
            for e in hv_errors:
                print("  " + e)
    if chromium is None:
        return 1 if broken or hv_errors else 0
    print(f"\noverflowing pages: {len(overflowing)} (floor 0)")
    for o in overflowing:
        print("  " + o)
    print(f"chart text on A4 below {MIN_PRINT_PT:g} pt: {len(small_print)} (floor 0) {small_print}")
    if axe:
        print(f"axe-core violations: {len(axe_found)}, of them serious or critical: {serious} (floor 0)")
        for v in axe_found:
            print("  " + v)
    print(f"pages not written or probes failed: {len(broken)} (floor 0) {broken}")
    print(f"A4 pages printed: {pages_total}; {time.perf_counter() - start:.0f} s")
    failed = overflowing or small_print or axe_found or broken or hv_errors
    if failed:
        print(
            "FAILED: see the figures above"
            " (floors: 0 overflow, 8 pt, 0 axe violations, 0 html-validate errors)",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
