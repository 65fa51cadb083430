"""Render the shipped examples to HTML, then to PNG with headless Chromium, to look at them.

    python benchmarks/render_html.py [--out DIR] [--lang ja,en] [--full-page] [--pdf]

Writes, for each language: the four single-proposal reports, the consolidation of
examples/call-2026's CALL26-JR-03 (reviewers disagree), the ranking of examples/call-2026 with
--fund 5 and the portfolio map of examples/programmes-mext.yaml with the call. Each ``.html`` is
followed by a ``.png`` of the first A4-sized screen (1240 x 1754 px, A4 at 150 dpi); with
``--full-page`` the window is as tall as the page (an estimate from the HTML's length). With
``--pdf`` each page is also printed to A4 as the browser prints it (``--print-to-pdf``) and,
where ``pdftoppm`` (poppler-utils) is installed, each printed page becomes ``NAME.print-N.png``.

Without a Chromium binary (``chromium``, ``chromium-browser``, ``google-chrome``; or
``$CHROMIUM``), the HTML is still written and the PNG step is skipped with a message (exit 0):
CI does not depend on a browser. ``apt-get install chromium fonts-noto-cjk`` gives both the
browser and the Japanese font on Debian.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CALL = EXAMPLES / "call-2026"
SINGLE = [
    "satreps-flood-ews-th",
    "bc-quantum-mobility-de",
    "jr-border-surveillance-ai",
    "other-ocean-data-ph",
]
WIDTH, HEIGHT = 1240, 1754
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


def jobs(lang: str) -> list[tuple[str, list[str]]]:
    """(name, sti-review arguments) of every page to render."""
    out = [(f"{name}-{lang}", ["assess", str(EXAMPLES / f"{name}.yaml")]) for name in SINGLE]
    out.append(
        (
            f"panel-jr03-{lang}",
            [
                "consolidate",
                str(CALL / "proposals" / "CALL26-JR-03.yaml"),
                str(CALL / "reviews" / "CALL26-JR-03"),
            ],
        )
    )
    out.append((f"ranking-{lang}", ["rank", str(CALL), "--fund", "5"]))
    out.append(
        (
            f"portfolio-{lang}",
            ["portfolio", str(CALL), "--programmes", str(EXAMPLES / "programmes-mext.yaml")],
        )
    )
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


def render_html(args: list[str], lang: str, target: Path) -> None:
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
    if proc.returncode not in (0, 3) or not target.exists():
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")


def screenshot(chromium: str, html: Path, png: Path, height: int) -> bool:
    with tempfile.TemporaryDirectory(prefix="sti-chromium-") as profile:
        cmd = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{height}",
            f"--screenshot={png}",
            html.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            print(f"  timed out: {png.name}", file=sys.stderr)
            return False
    if proc.returncode != 0 or not png.exists():
        print(f"  chromium failed for {html.name}: {proc.stderr.strip()[-400:]}", file=sys.stderr)
        return False
    return True


def print_pdf(chromium: str, html: Path, pdf: Path) -> bool:
    """Print to A4 as a reader would from the browser; then each page to PNG, if pdftoppm is here."""
    with tempfile.TemporaryDirectory(prefix="sti-chromium-") as profile:
        cmd = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            return False
    if proc.returncode != 0 or not pdf.exists():
        print(f"  chromium could not print {html.name}: {proc.stderr.strip()[-400:]}", file=sys.stderr)
        return False
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("  no pdftoppm (poppler-utils): the PDF is written, its pages are not turned into PNG")
        return True
    for old in pdf.parent.glob(f"{pdf.stem}.print-*.png"):
        old.unlink()
    subprocess.run(
        [pdftoppm, "-png", "-r", "100", str(pdf), str(pdf.with_name(f"{pdf.stem}.print"))],
        check=False,
        capture_output=True,
    )
    return True


def page_height(html: Path) -> int:
    """A rough height for --full-page: long pages grow with their table rows and charts."""
    text = html.read_text(encoding="utf-8")
    rows = text.count("<tr") + text.count("<li") + 8 * text.count("<h2")
    return max(HEIGHT, min(20000, 300 + 34 * rows + 120 * text.count('class="chart radar')))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "sti-review-html")
    parser.add_argument("--lang", default="ja,en", help="comma-separated: ja,en")
    parser.add_argument("--full-page", action="store_true", help="a window as tall as the page")
    parser.add_argument(
        "--pdf", action="store_true", help="also print each page to an A4 PDF (and PNG pages)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium()
    if chromium is None:
        print(
            "skipped PNGs: no Chromium found (chromium, chromium-browser, google-chrome or $CHROMIUM); "
            "the HTML files are still written. On Debian: apt-get install chromium fonts-noto-cjk",
            file=sys.stderr,
        )
    for lang in args.lang.split(","):
        for name, cli_args in jobs(lang.strip()):
            html = args.out / f"{name}.html"
            render_html(cli_args, lang.strip(), html)
            line = f"{html}"
            if chromium is not None:
                png = html.with_suffix(".png")
                height = page_height(html) if args.full_page else HEIGHT
                if screenshot(chromium, html, png, height):
                    line += f"  ->  {png.name}"
                if args.pdf and print_pdf(chromium, html, html.with_suffix(".pdf")):
                    pages = len(list(args.out.glob(f"{html.stem}.print-*.png")))
                    line += f", {html.stem}.pdf ({pages} A4 pages as PNG)"
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
