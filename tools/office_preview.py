"""Open Word and Excel files the way a committee would: convert them to PDF with LibreOffice
and the PDF pages to PNG with pdftoppm, to look at. Skips with a message when either is missing.

    python tools/office_preview.py OUT_DIR FILE.docx [FILE.xlsx ...]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    out = Path(argv[0])
    files = [Path(a) for a in argv[1:]]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("skipped: LibreOffice (soffice) is not installed")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        for suffix in sorted({f.suffix for f in files}):  # a.docx and a.xlsx both make a.pdf
            cmd = [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out / suffix.lstrip(".")),
                *[str(f) for f in files if f.suffix == suffix],
            ]
            subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    pdftoppm = shutil.which("pdftoppm")
    for f in files:
        pdf = out / f.suffix.lstrip(".") / (f.stem + ".pdf")
        if not pdf.exists():
            print(f"{f}: LibreOffice wrote no PDF")
            continue
        if pdftoppm is None:
            print(f"{pdf} (PNG skipped: pdftoppm is not installed)")
            continue
        stem = pdf.with_suffix("")
        subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(stem)], check=True, timeout=300)
        pages = sorted(pdf.parent.glob(f"{f.stem}-*.png"))
        print(f"{pdf}: {len(pages)} page(s) as PNG")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
