"""Render ``paper/paper.qmd`` to ``paper.pdf`` and a self-contained ``paper.html``.

With Quarto on ``PATH`` this runs ``quarto render`` (``_quarto.yml`` asks for
Typst and HTML with embedded resources).  Without it, a small fallback renders
the same source with pandoc 3 (the ``pypandoc-binary`` wheel) and Typst (the
``typst`` wheel).  The fallback supports exactly the Quarto syntax the paper
uses:

* ``{{< var a.b >}}`` from ``_variables.yml`` and ``{{< include file >}}``;
* labels ``{#fig-…}`` on images, ``: caption {#tbl-…}`` under tables,
  ``$$…$$ {#eq-…}`` on display math, ``{#sec-…}`` on headings, and
  references ``@fig-…``, ``@tbl-…``, ``@eq-…``, ``@sec-…``;
* citations ``[@key]`` through pandoc's citeproc and ``references.bib``.

Both renderers first run the same checks, and the build fails with a message
naming the problem on: a missing variable or include, an unresolved
cross-reference, a missing figure, a leftover ``{{<``, or any pandoc warning
(an unknown citation, an image it cannot embed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml


class RenderError(RuntimeError):
    """The paper cannot be rendered as written; the message says why."""


_VAR = re.compile(r"\{\{<\s*var\s+([A-Za-z0-9_.\-]+)\s*>\}\}")
_INCLUDE = re.compile(r"^\{\{<[ \t]*include[ \t]+(\S+)[ \t]*>\}\}[ \t]*$", re.M)
_FIG = re.compile(r"!\[(?P<cap>[^\]]*)\]\((?P<src>[^)\s]+)\)\{(?P<attrs>[^}]*?#fig-(?P<id>[a-z0-9-]+)[^}]*)\}")
_TBL = re.compile(r"^:[ \t]+(?P<cap>.*?)[ \t]*\{#tbl-(?P<id>[a-z0-9-]+)\}[ \t]*$", re.M)
_EQ = re.compile(r"\$\$(?P<body>.+?)\$\$\s*\{#eq-(?P<id>[a-z0-9-]+)\}", re.S)
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.*?)(?:\s*\{(?P<attrs>[^}]*)\})?\s*$")
_REF = re.compile(r"(?<![\w@])@(?P<kind>fig|tbl|eq|sec)-(?P<id>[a-z0-9-]+)")
_NAMES = {"fig": "Figure", "tbl": "Table", "eq": "Equation", "sec": "Section"}


# --------------------------------------------------------------------------- shortcodes
def lookup(variables: dict, key: str) -> str:
    """Value of the dotted ``key`` in ``variables``; ``RenderError`` naming the key if absent."""
    node = variables
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise RenderError(f"unknown variable {key!r} in a {{{{< var >}}}} shortcode: it is not in "
                              "paper/_variables.yml (run `make all` to regenerate it, or fix the key)")
        node = node[part]
    if isinstance(node, dict):
        raise RenderError(f"variable {key!r} is a group, not a value")
    return str(node)


def expand_shortcodes(text: str, variables: dict, base: Path, depth: int = 0) -> str:
    """Expand ``include`` (recursively, relative to ``base``) and then ``var`` shortcodes."""
    if depth > 5:
        raise RenderError("includes nested more than 5 deep")

    def include(m: re.Match) -> str:
        path = base / m.group(1)
        if not path.is_file():
            raise RenderError(f"included file {path} does not exist (run `make all` to generate it)")
        return expand_shortcodes(path.read_text(), variables, path.parent, depth + 1).rstrip("\n")

    text = _INCLUDE.sub(include, text)
    text = _VAR.sub(lambda m: lookup(variables, m.group(1)), text)
    if "{{<" in text:
        line = next(l for l in text.splitlines() if "{{<" in l)
        raise RenderError(f"unsupported or malformed shortcode left in the paper: {line.strip()!r}")
    return text


# --------------------------------------------------------------------------- cross-references
@dataclass
class CrossRefs:
    """Numbers assigned to every label, by kind."""

    numbers: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in _NAMES})

    def add(self, kind: str, label: str, number: str) -> None:
        if label in self.numbers[kind]:
            raise RenderError(f"label #{kind}-{label} is defined twice")
        self.numbers[kind][label] = number


def _split_code(text: str) -> list[tuple[bool, str]]:
    """Split into (is_code, chunk) pieces on fenced code blocks."""
    parts, code, buf = [], False, []
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            if not code:
                parts.append((False, "".join(buf)))
                buf = [line]
            else:
                buf.append(line)
                parts.append((True, "".join(buf)))
                buf = []
            code = not code
            continue
        buf.append(line)
    parts.append((code, "".join(buf)))
    return parts


def number_crossrefs(text: str, caption_prefix: bool) -> str:
    """Number figures, tables, equations and sections in order and resolve every ``@kind-label``.

    ``caption_prefix`` writes "Figure N: " into captions (HTML); Typst numbers its
    figures and tables itself in the same order, so the PDF leaves them alone.
    """
    refs = CrossRefs()
    pieces = _split_code(text)
    counters = {"fig": 0, "tbl": 0, "eq": 0}
    section = [0] * 6
    out_pieces = []
    for is_code, chunk in pieces:
        if is_code:
            out_pieces.append((True, chunk))
            continue

        def fig(m: re.Match) -> str:
            counters["fig"] += 1
            refs.add("fig", m["id"], str(counters["fig"]))
            cap = f"Figure {counters['fig']}: {m['cap']}" if caption_prefix else m["cap"]
            return f"![{cap}]({m['src']}){{{m['attrs']}}}"

        def tbl(m: re.Match) -> str:
            counters["tbl"] += 1
            refs.add("tbl", m["id"], str(counters["tbl"]))
            cap = f"Table {counters['tbl']}: {m['cap']}" if caption_prefix else m["cap"]
            return f": {cap} {{#tbl-{m['id']}}}"

        def eq(m: re.Match) -> str:
            counters["eq"] += 1
            refs.add("eq", m["id"], str(counters["eq"]))
            return f"$${m['body'].rstrip()} \\qquad ({counters['eq']})$$"

        chunk = _FIG.sub(fig, chunk)
        chunk = _TBL.sub(tbl, chunk)
        chunk = _EQ.sub(eq, chunk)
        lines = []
        for line in chunk.splitlines(keepends=True):
            m = _HEADING.match(line.rstrip("\n"))
            if m:
                attrs = m["attrs"] or ""
                if ".unnumbered" not in attrs and "-}" not in line:
                    level = len(m["hashes"])
                    section[level - 1] += 1
                    section[level:] = [0] * (6 - level)
                    number = ".".join(str(s) for s in section[:level])
                    sec = re.search(r"#sec-([a-z0-9-]+)", attrs)
                    if sec:
                        refs.add("sec", sec.group(1), number)
            lines.append(line)
        out_pieces.append((False, "".join(lines)))

    def ref(m: re.Match) -> str:
        kind, label = m["kind"], m["id"]
        if label not in refs.numbers[kind]:
            known = ", ".join(f"@{kind}-{k}" for k in refs.numbers[kind]) or "none"
            raise RenderError(f"unresolved cross-reference @{kind}-{label} (labels of that kind: {known})")
        number = refs.numbers[kind][label]
        if kind == "eq":
            return f"{_NAMES[kind]} ({number})"
        return f"[{_NAMES[kind]} {number}](#{kind}-{label})"

    return "".join(chunk if is_code else _REF.sub(ref, chunk) for is_code, chunk in out_pieces)


def missing_figures(text: str, base: Path) -> list[str]:
    """Image paths in ``text`` that do not exist relative to ``base``."""
    srcs = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    return [s for s in srcs if not (base / s).is_file()]


# --------------------------------------------------------------------------- rendering
def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _run_pandoc(args: list[str], cwd: Path) -> None:
    res = subprocess.run([_pandoc(), *args], cwd=cwd, capture_output=True, text=True)
    problems = [l for l in res.stderr.splitlines() if l.strip()]
    if res.returncode != 0 or problems:
        raise RenderError("pandoc failed or warned:\n  " + "\n  ".join(problems or [f"exit status {res.returncode}"]))


def prepare(qmd: Path, caption_prefix: bool) -> str:
    """The paper's Markdown with shortcodes expanded and cross-references resolved (all checks run)."""
    base = qmd.parent
    var_file = base / "_variables.yml"
    if not var_file.is_file():
        raise RenderError(f"{var_file} is missing: run `make all` to generate the paper's inputs")
    variables = yaml.safe_load(var_file.read_text()) or {}
    text = expand_shortcodes(qmd.read_text(), variables, base)
    missing = missing_figures(text, base)
    if missing:
        raise RenderError(f"missing figure file(s): {', '.join(missing)} (run `make all` to build them)")
    return number_crossrefs(text, caption_prefix)


def _fallback(qmd: Path, root: Path, html_markdown: str) -> str:
    import typst

    base = qmd.parent
    pdf, html = base / (qmd.stem + ".pdf"), base / (qmd.stem + ".html")
    common = ["--from", "markdown", "--standalone", "--citeproc", "--number-sections"]
    project = base / "_quarto.yml"
    config = (yaml.safe_load(project.read_text()) or {}) if project.is_file() else {}
    bibliography = config.get("bibliography")
    for bib in [bibliography] if isinstance(bibliography, str) else (bibliography or []):
        common += ["--bibliography", bib]
    with tempfile.TemporaryDirectory(prefix=".render-", dir=base) as tmpdir:
        tmp = Path(tmpdir)
        # Intermediate files sit in the paper folder so relative figure paths resolve the same way.
        md_pdf, md_html = base / f".{qmd.stem}.typst.md", base / f".{qmd.stem}.html.md"
        typ = base / f".{qmd.stem}.typ"
        try:
            md_pdf.write_text(prepare(qmd, caption_prefix=False))
            md_html.write_text(html_markdown)
            _run_pandoc([md_pdf.name, *common, "--to", "typst", "-o", typ.name], cwd=base)
            try:
                # The PDF's date comes from SOURCE_DATE_EPOCH (reproducible builds), not the clock.
                stamp = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
                typst.compile(str(typ), output=str(tmp / "out.pdf"), root=str(root), timestamp=stamp)
            except Exception as exc:  # typst raises its own error types
                raise RenderError(f"typst could not compile the paper: {exc}") from None
            css = ["--css", "style.css"] if (base / "style.css").is_file() else []
            _run_pandoc([md_html.name, *common, "--to", "html5", "--mathml", "--embed-resources", *css,
                         "-o", str(tmp / "out.html")], cwd=base)
        finally:
            for p in (md_pdf, md_html, typ):
                p.unlink(missing_ok=True)
        os.replace(tmp / "out.pdf", pdf)
        os.replace(tmp / "out.html", html)
    version = subprocess.run([_pandoc(), "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return f"the fallback ({version} + typst {_typst_version()})"


def _typst_version() -> str:
    import importlib.metadata

    return importlib.metadata.version("typst")


def render_paper(qmd: Path, force_fallback: bool = False, root: Path | None = None) -> str:
    """Render ``qmd`` to PDF and HTML beside it; return a description of the renderer used.

    Raises
    ------
    RenderError
        On a missing variable, include or figure, an unresolved reference, a
        leftover shortcode, a pandoc warning, or a Typst/Quarto failure.
    """
    qmd = Path(qmd).resolve()
    if not qmd.is_file():
        raise RenderError(f"{qmd} does not exist")
    root = Path(root).resolve() if root else qmd.parent.parent
    html_markdown = prepare(qmd, caption_prefix=True)  # the same checks for both renderers
    quarto = shutil.which("quarto")
    if quarto and not force_fallback:
        res = subprocess.run([quarto, "render", qmd.name], cwd=qmd.parent, capture_output=True, text=True)
        if res.returncode != 0:
            raise RenderError(f"quarto render failed:\n{res.stderr[-3000:]}")
        for ext in ("pdf", "html"):
            if not (qmd.parent / f"{qmd.stem}.{ext}").is_file():
                raise RenderError(f"quarto render did not produce {qmd.stem}.{ext}")
        version = subprocess.run([quarto, "--version"], capture_output=True, text=True).stdout.strip()
        return f"quarto {version}"
    return _fallback(qmd, root, html_markdown)
