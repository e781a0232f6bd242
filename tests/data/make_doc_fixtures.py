"""Writes the Word 97 (.doc) and WPS (.wps) fixtures in tests/data with a real word processor.

The tests never run this: they read the committed files. Run it again only to change the fixtures:

    apt-get install -y libreoffice-writer-nogui      # soffice on PATH
    .venv/bin/python tests/data/make_doc_fixtures.py

Each fixture is a .docx report built by tests/builders.py from ``consistent_values(template, seed)``,
converted by LibreOffice headless (7.4.7.2, Debian 12) with its "MS Word 97" export filter (what Word 97–2003 and WPS Office
read and write). WPS Office saves its .wps documents in the same OLE Word 97 format, so the .wps fixture
is that filter's output under a .wps name: no WPS Office build was at hand to write one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from builders import build_docx, consistent_values, fill_template_2021  # noqa: E402

# name → (template, seed, how the .docx is built)
FIXTURES = {
    "report-2019.doc": ("2019", 31, "build_docx"),
    "report-2021-template.doc": ("2021", 32, "fill_template_2021"),
    "report-2021-split.wps": ("2021", 33, "build_docx_split"),
}


def docx_for(template: str, seed: int, how: str) -> bytes:
    values = consistent_values(template, seed=seed)
    if how == "fill_template_2021":
        return fill_template_2021(values)
    if how == "build_docx_split":
        return build_docx(values, template, split_table2=True, wrap_headers=True)
    return build_docx(values, template)


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("soffice not found: apt-get install -y libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, (template, seed, how) in FIXTURES.items():
            source = work / (Path(name).stem + ".docx")
            source.write_bytes(docx_for(template, seed, how))
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                 "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(source)],
                check=True,
                capture_output=True,
            )
            shutil.copyfile(work / (Path(name).stem + ".doc"), HERE / name)
            print(f"wrote tests/data/{name}")


if __name__ == "__main__":
    main()
