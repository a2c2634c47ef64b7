"""A stand-in for the `quarto` executable, for tests that cannot run real Quarto.

It does what real Quarto 1.10.18 does where this project can notice it:

* ``quarto --version`` prints the version (``FAKE_QUARTO_VERSION``, default 1.10.18);
* ``quarto render paper/paper.qmd [-M key:value ...]``, run in the project folder, first
  brings the project's ``.gitignore`` up to date as Quarto's ``ensureGitignore`` does (if a trimmed line
  ``/.quarto/`` or ``**/*.quarto_ipynb`` is missing, the whole file is rewritten with its
  lines trimmed and the missing ones appended; with no ``.gitignore``, one is created only
  inside a git repository), writes its scratch folder ``.quarto/``, then writes
  ``paper/paper.pdf`` and ``paper/paper.html`` beside the document; the HTML is
  self-contained the way Quarto's is, with its own scripts and styles embedded as
  ``data:`` URIs (``<script src="data:...">``, ``<link href="data:..." rel="stylesheet">``);
  metadata given with ``-M`` is the document's, for ``{{< meta >}}``.

The outputs are made by the fallback renderer (``backlash.render`` with ``force_fallback``),
which follows Quarto's rules; ``FAKE_QUARTO_OUTPUT=stub`` writes placeholders instead
(``FAKE_QUARTO_HTML`` is the stub page's body), for tests of how the build reacts to Quarto's
messages (``FAKE_QUARTO_SAYS``, printed on stderr) and exit status (``FAKE_QUARTO_EXIT``).
``FAKE_QUARTO_LOG``, when set, receives the arguments and the working directory.
"""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

#: The lines Quarto 1.10 requires in the project's .gitignore (project-gitignore.ts).
GITIGNORE_ENTRIES = ("/.quarto/", "**/*.quarto_ipynb")
#: What Quarto embeds in a self-contained HTML page, in the form it embeds it.
QUARTO_HEAD = (
    '<script src="data:application/javascript;base64,{js}"></script>\n'
    '<link href="data:text/css;base64,{css}" rel="stylesheet" id="quarto-bootstrap" data-mode="light">\n'
)


def ensure_gitignore(project: Path) -> bool:
    """Quarto's ensureGitignore: add the missing required lines; True when the file was (re)written."""
    path = project / ".gitignore"
    if path.exists():
        lines = [line.strip() for line in path.read_text().split("\n")]
        missing = [e for e in GITIGNORE_ENTRIES if e not in lines]
        if not missing:
            return False
        path.write_text("\n".join(lines + missing) + "\n")
        return True
    inside_git = subprocess.run(["git", "rev-parse"], cwd=project, capture_output=True).returncode == 0
    if inside_git:
        path.write_text("\n".join(GITIGNORE_ENTRIES) + "\n")
    return inside_git


def quarto_html(html: str) -> str:
    """``html`` with Quarto's embedded scripts and styles (``data:`` URIs) at the end of its head."""
    js = base64.b64encode(b"window.quarto = window.quarto || {};").decode()
    css = base64.b64encode(b"body { font-kerning: normal; }").decode()
    return html.replace("</head>", QUARTO_HEAD.format(js=js, css=css) + "</head>", 1)


def main(argv: list[str]) -> int:
    if argv == ["--version"]:
        print(os.environ.get("FAKE_QUARTO_VERSION", "1.10.18"))
        return 0
    if os.environ.get("FAKE_QUARTO_LOG"):
        Path(os.environ["FAKE_QUARTO_LOG"]).write_text(repr(argv) + "\n" + os.getcwd())
    metadata = dict(value.split(":", 1) for flag, value in zip(argv[2::2], argv[3::2]) if flag == "-M")
    if argv[:1] != ["render"] or len(argv) % 2 or len(metadata) != len(argv) // 2 - 1:
        print(f"ERROR: the fake quarto only knows `render FILE [-M KEY:VALUE ...]` and `--version`, not {argv}",
              file=sys.stderr)
        return 2
    project, qmd = Path.cwd(), Path(argv[1]).resolve()
    ensure_gitignore(project)
    (project / ".quarto" / "xref").mkdir(parents=True, exist_ok=True)
    (project / ".quarto" / "xref" / "INDEX").write_text("{}\n")
    if os.environ.get("FAKE_QUARTO_OUTPUT") == "stub":
        (qmd.parent / "paper.pdf").write_bytes(b"%PDF-1.7 fake")
        (qmd.parent / "paper.html").write_text(
            "<html><body>" + os.environ.get("FAKE_QUARTO_HTML", "fine") + "</body></html>")
    else:
        from backlash.render import render_unlocked

        # (the `backlash paper` that runs this holds the render lock; -M renderer:... names Quarto, as in Quarto)
        render_unlocked(qmd, force_fallback=True, renderer=metadata.get("renderer"))
        html = qmd.parent / "paper.html"
        html.write_text(quarto_html(html.read_text(encoding="utf-8")), encoding="utf-8")
    print(os.environ.get("FAKE_QUARTO_SAYS", "Output created: paper/paper.html"), file=sys.stderr)
    return int(os.environ.get("FAKE_QUARTO_EXIT", "0"))


def install(bindir: Path, python: str = sys.executable) -> Path:
    """Write an executable ``quarto`` into ``bindir`` that runs this module with ``python``."""
    bindir.mkdir(parents=True, exist_ok=True)
    exe = bindir / "quarto"
    exe.write_text(f"#!{python}\nimport sys\nsys.path.insert(0, {str(Path(__file__).parent)!r})\n"
                   "from _fake_quarto import main\nsys.exit(main(sys.argv[1:]))\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
