"""Render ``paper/paper.qmd`` to ``paper.pdf`` and a self-contained ``paper.html``.

With Quarto on ``PATH`` this runs ``quarto render paper/paper.qmd`` from the
Quarto project directory.  Without it, a small fallback renders the same source
with pandoc 3 (the ``pypandoc-binary`` wheel) and Typst (the ``typst`` wheel),
under Quarto's rules, so that what renders here renders with Quarto too:

* the **project directory** is the nearest folder at or above the document that
  holds ``_quarto.yml``; Typst runs with its ``root`` there, and every input of
  the paper (includes, figures, bibliography, style sheet) must lie inside it;
* ``{{< var a.b >}}`` reads only the project's ``_variables.yml``;
  ``{{< include file >}}`` is resolved relative to the including file;
  ``{{< meta key >}}`` reads the document's metadata, including what the
  renderer sets on its command line (``quarto render -M key:value``): both
  renderers set :data:`RENDERER_META` to their own name and version, so the
  report says which of them made it;
* options are merged as Quarto merges them: ``_quarto.yml``, then every
  ``_metadata.yml`` from the project directory down to the document's folder,
  then the document's front matter; ``format: {typst: …, html: …}`` entries
  override the top-level ones for that format;
* the Lua filters the ``filters`` option lists (paths relative to the file that sets them; an entry is a
  path or ``{path: …, at: …}``) run in their order, where Quarto would run them relative to its
  cross-references: by default (``pre-quarto``) and at ``pre-ast``/``post-ast`` before them, at
  ``post-quarto`` and later after them (shortcodes are already expanded here, as they are by then in
  Quarto, whose own shortcode filters run after ``pre-quarto``); Lua filters only: Quarto's own entries
  (``quarto``, ``citeproc``) and JSON filters are refused;
* cross-references (``{#fig-…}``, ``{#tbl-…}``, ``{#eq-…}``, ``{#sec-…}`` and
  ``@fig-…`` etc.) are numbered on pandoc's document tree by the Lua filter
  ``crossref.lua`` beside this module, as Quarto's crossref filter does;
* citations ``[@key]`` follow the ``citeproc`` option as Quarto does: in HTML
  (default ``true``) and in Typst with ``citeproc: true``, pandoc's citeproc
  formats them (Chicago author–date unless ``csl`` names another style) and
  puts the list in the ``::: {#refs}`` div, under the document's own heading;
  in Typst by default (``citeproc: false``), Typst's own bibliography is
  appended at the end under Typst's heading "Bibliography", in the
  ``bibliographystyle`` given (numeric without one), as Quarto's ``biblio.typ``
  partial writes it;
* an image path without an extension takes the format's
  ``default-image-extension`` (Quarto's defaults: ``svg`` for Typst, ``png``
  for HTML), so one source can give the PDF vector figures and the HTML PNGs;
* the HTML lists the other formats' outputs ("Other Formats") unless
  ``format-links: false``, as Quarto does;
* ``quarto-required`` in ``_quarto.yml`` is checked against ``quarto --version``
  before Quarto runs (the fallback does not need it).

Both renderers first run the same checks, and the build fails with a message
naming the problem on: a missing or misplaced variables file, an unknown
variable, a missing include or figure, an input outside the project directory,
a leftover ``{{<``, an unresolved cross-reference, any pandoc warning (an
unknown citation, an image it cannot embed), or an HTML that would load a file
or URL, or link to a file beside it (:func:`external_references`: the HTML must
work alone, offline).  The Quarto path also fails when Quarto's output
mentions ``WARNING``, ``?var:`` or ``?meta:`` (Quarto only warns about an
unknown variable or metadata key) or when an output is missing, and then puts
the previous outputs back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import yaml

from ._io import scratch_folder


class RenderError(RuntimeError):
    """The paper cannot be rendered as written; the message says why."""


PROJECT_FILE = "_quarto.yml"
VARIABLES_FILE = "_variables.yml"
DIRECTORY_METADATA = "_metadata.yml"
CROSSREF_FILTER = Path(__file__).with_name("crossref.lua")

_VAR = re.compile(r"\{\{<\s*var\s+([A-Za-z0-9_.\-]+)\s*>\}\}")
_META = re.compile(r"\{\{<\s*meta\s+([A-Za-z0-9_.\-]+)\s*>\}\}")
#: The metadata key each renderer sets to its own name and version (``{{< meta renderer >}}`` in the paper).
RENDERER_META = "renderer"
_INCLUDE = re.compile(r"^\{\{<[ \t]*include[ \t]+(\S+)[ \t]*>\}\}[ \t]*$", re.M)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.S)

#: Options whose values are file paths, resolved relative to the file that sets them.
PATH_OPTIONS = ("bibliography", "css", "csl", "include-in-header", "include-before-body", "include-after-body",
                "filters")
#: Options the fallback understands, for every format (top level) and per format.
COMMON_OPTIONS = {"bibliography", "number-sections", "toc", "toc-depth", "output-file", "csl", "citeproc",
                  "default-image-extension", "filters"}
FORMAT_OPTIONS = {
    "typst": COMMON_OPTIONS | {"papersize", "fontsize", "margin", "bibliographystyle", "page-numbering",
                               "section-numbering", "columns", "mainfont", "include-in-header",
                               "include-before-body", "include-after-body", "keep-typ"},
    "html": COMMON_OPTIONS | {"embed-resources", "self-contained", "html-math-method", "css", "toc-title",
                              "include-in-header", "include-before-body", "include-after-body", "anchor-sections",
                              "toc-location", "format-links"},
}
#: Quarto's own defaults where they differ from pandoc's (its formats' definitions): Typst cites
#: with Typst's bibliography and takes SVG for an image path without extension; HTML cites with
#: citeproc, takes PNG, and links to the other formats' outputs.
QUARTO_DEFAULTS = {
    "typst": {"citeproc": False, "default-image-extension": "svg"},
    "html": {"citeproc": True, "default-image-extension": "png", "format-links": True},
}
#: Options of the whole project about Quarto itself (``quarto-required`` is checked before Quarto runs).
PROJECT_OPTIONS = {"quarto-required"}
#: Document metadata (not options): handed to pandoc as it is.
METADATA_KEYS = {"title", "subtitle", "author", "date", "abstract", "lang", "keywords", "header-includes", "thanks"}


# --------------------------------------------------------------------------- the project
def find_project(qmd: Path) -> Path:
    """Quarto's project directory for ``qmd``: the nearest folder at or above it holding ``_quarto.yml``.

    A document outside any project is rendered on its own, as Quarto does, with its
    own folder as the project directory.

    Parameters
    ----------
    qmd : Path
        The document.

    Returns
    -------
    Path
    """
    qmd = Path(qmd).resolve()
    for folder in qmd.parents:
        if (folder / PROJECT_FILE).is_file():
            return folder
    return qmd.parent


def inside(path: Path, project: Path) -> bool:
    """Whether ``path`` (resolved, symbolic links followed) lies in ``project``.

    Parameters
    ----------
    path, project : Path

    Returns
    -------
    bool
    """
    return Path(path).resolve().is_relative_to(Path(project).resolve())


def _require_inside(path: Path, project: Path, what: str) -> None:
    if not inside(path, project):
        raise RenderError(
            f"{what} {path} lies outside the Quarto project directory {project}: Quarto (and Typst, whose "
            f"root is that directory) cannot read it. Move the file under {project} and refer to it from there.")


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RenderError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RenderError(f"{path} must hold a YAML mapping, not {type(data).__name__}")
    return data


def front_matter(text: str) -> dict:
    """The YAML front matter of a Quarto document (``{}`` if it has none).

    Parameters
    ----------
    text : str
        The document's text.

    Returns
    -------
    dict
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}
    data = yaml.safe_load(m.group(1)) or {}
    if not isinstance(data, dict):
        raise RenderError("the document's front matter must be a YAML mapping")
    return data


def _absolute_paths(options: dict, base: Path) -> dict:
    """``options`` with every path option made absolute relative to ``base`` (also inside ``format``)."""
    out = {}
    for key, value in options.items():
        if key in PATH_OPTIONS and value:
            values = [value] if isinstance(value, str) else list(value)
            resolved = [{**v, "path": str((base / v["path"]).resolve())} if isinstance(v, dict) and "path" in v
                        else str((base / v).resolve()) if isinstance(v, str) else v for v in values]
            out[key] = resolved[0] if isinstance(value, str) else resolved
        elif key == "format" and isinstance(value, dict):
            out[key] = {fmt: _absolute_paths(v, base) if isinstance(v, dict) else v for fmt, v in value.items()}
        else:
            out[key] = value
    return out


def _merge(base: dict, over: dict) -> dict:
    """Deep merge: mappings merge key by key, anything else in ``over`` replaces ``base``."""
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(out.get(key), dict) and isinstance(value, dict) else value
    return out


def document_options(qmd: Path, project: Path | None = None) -> dict:
    """The merged options of ``qmd``: ``_quarto.yml``, each folder's ``_metadata.yml``, the front matter.

    Path options are absolute, resolved relative to the file that sets them.

    Parameters
    ----------
    qmd : Path
        The document.
    project : Path, optional
        Its project folder (default: :func:`find_project`).

    Returns
    -------
    dict
    """
    qmd = Path(qmd).resolve()
    project = Path(project or find_project(qmd)).resolve()
    layers = []
    if (project / PROJECT_FILE).is_file():
        config = _read_yaml(project / PROJECT_FILE)
        config.pop("project", None)
        layers.append(_absolute_paths(config, project))
    folders = [qmd.parent, *qmd.parent.parents]
    for folder in reversed(folders[: folders.index(project) + 1] if project in folders else [qmd.parent]):
        if (folder / DIRECTORY_METADATA).is_file():
            layers.append(_absolute_paths(_read_yaml(folder / DIRECTORY_METADATA), folder))
    layers.append(_absolute_paths(front_matter(qmd.read_text(encoding="utf-8")), qmd.parent))
    merged: dict = {}
    for layer in layers:
        merged = _merge(merged, layer)
    return merged


def format_options(options: dict, fmt: str) -> dict:
    """The options that apply to format ``fmt``: top-level ones overridden by ``format.<fmt>``.

    Parameters
    ----------
    options : dict
        The merged options (:func:`document_options`).
    fmt : str
        The output format (``typst`` or ``html``).

    Returns
    -------
    dict
    """
    top = {k: v for k, v in options.items() if k != "format"}
    formats = options.get("format") or {}
    if fmt not in formats:
        raise RenderError(f"the paper's options declare no `format: {fmt}` (add it to paper/_metadata.yml)")
    specific = formats[fmt]
    return _merge(QUARTO_DEFAULTS.get(fmt, {}), _merge(top, specific if isinstance(specific, dict) else {}))


# --------------------------------------------------------------------------- shortcodes
def load_variables(qmd: Path, project: Path) -> dict:
    """The project's ``_variables.yml``, the only file ``{{< var >}}`` reads (as in Quarto).

    Parameters
    ----------
    qmd : Path
        The document.
    project : Path
        The folder of ``_quarto.yml`` (:func:`find_project`).

    Returns
    -------
    dict
    """
    var_file = Path(project) / VARIABLES_FILE
    if not var_file.is_file():
        stray = Path(qmd).parent / VARIABLES_FILE
        hint = (f" ({stray} exists, but Quarto reads variables only from the project directory's "
                f"{VARIABLES_FILE}: move it)" if stray.is_file() and stray.parent != Path(project) else "")
        raise RenderError(f"{var_file} is missing{hint}: run `make all` to generate the paper's inputs")
    return _read_yaml(var_file)


def lookup(variables: dict, key: str, shortcode: str = "var") -> str:
    """Value of the dotted ``key`` in ``variables``; ``RenderError`` naming the key if absent.

    Parameters
    ----------
    variables : dict
        :func:`load_variables` (or the document's metadata, for ``meta``).
    key : str
        A dotted key (``model.f2.lam``).
    shortcode : str
        ``var`` or ``meta``: which shortcode asked (for the message).

    Returns
    -------
    str
    """
    node = variables
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            where = (f"the project's {VARIABLES_FILE} (run `make all` to regenerate it, or fix the key)"
                     if shortcode == "var" else "the document's metadata (nor set by the renderer)")
            raise RenderError(f"unknown {'variable' if shortcode == 'var' else 'metadata key'} {key!r} in a "
                              f"{{{{< {shortcode} >}}}} shortcode: it is not in {where}")
        node = node[part]
    if isinstance(node, dict):
        raise RenderError(f"variable {key!r} is a group, not a value")
    return str(node)


def expand_shortcodes(text: str, variables: dict, base: Path, depth: int = 0, project: Path | None = None,
                      metadata: dict | None = None) -> str:
    """Expand ``include`` (recursively, relative to ``base``), then ``var`` and ``meta`` shortcodes.

    With ``project`` given, an included file outside it is an error (Quarto cannot read it).

    Parameters
    ----------
    text : str
        Markdown with shortcodes.
    variables : dict
        :func:`load_variables`.
    base : Path
        The folder includes are relative to.
    depth : int
        The include depth so far (beyond 5 levels, an error: a cycle of includes).
    project : Path, optional
        The project folder.
    metadata : dict, optional
        What ``meta`` reads: the document's options and metadata, with what the renderer sets.

    Returns
    -------
    str
    """
    if depth > 5:
        raise RenderError("includes nested more than 5 deep")

    def include(m: re.Match) -> str:
        path = base / m.group(1)
        if project is not None:
            _require_inside(path, project, "included file")
        if not path.is_file():
            raise RenderError(f"included file {path} does not exist (run `make all` to generate it)")
        return expand_shortcodes(path.read_text(encoding="utf-8"), variables, path.parent, depth + 1, project,
                                 metadata).rstrip("\n")

    text = _INCLUDE.sub(include, text)
    text = _VAR.sub(lambda m: lookup(variables, m.group(1)), text)
    text = _META.sub(lambda m: lookup(metadata or {}, m.group(1), "meta"), text)
    if "{{<" in text:
        line = next(l for l in text.splitlines() if "{{<" in l)
        raise RenderError(f"unsupported or malformed shortcode left in the paper: {line.strip()!r}")
    return text


# --------------------------------------------------------------------------- pandoc
def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _pandoc_env() -> dict[str, str]:
    """pandoc's environment: this one, with the locale ``C.UTF-8`` (the same on every machine).

    pandoc decodes its arguments and encodes its messages in the locale's character set; under
    ``LC_ALL=C`` (ASCII) a file name with ``ø`` in it ends in a Haskell backtrace.  Where
    ``C.UTF-8`` does not exist pandoc keeps ASCII, and :func:`_relative_args` keeps the project's
    own folder name out of its arguments.
    """
    return {**os.environ, "LC_ALL": "C.UTF-8"}


def _relative_args(args: list[str], cwd: Path) -> list[str]:
    """``args`` with every absolute path of a file (or of a file to be written) made relative to ``cwd``.

    pandoc then sees only the names below the project (the project's own folder, which may have any
    name, drops out), so its arguments stay ASCII even where its locale cannot be UTF-8.
    """
    out = []
    for a in args:
        if os.path.isabs(a) and (os.path.exists(a) or os.path.isdir(os.path.dirname(a))):
            a = os.path.relpath(a, cwd)
        out.append(a)
    return out


def _run_pandoc(args: list[str], cwd: Path, stdin: str | None = None) -> str:
    res = subprocess.run([_pandoc(), *_relative_args(args, cwd)], cwd=cwd, capture_output=True, text=True,
                         encoding="utf-8", errors="replace", input=stdin, env=_pandoc_env())
    problems = [l for l in res.stderr.splitlines() if l.strip()]
    if res.returncode != 0 or problems:
        raise RenderError("pandoc failed or warned:\n  " + "\n  ".join(problems or [f"exit status {res.returncode}"]))
    return res.stdout


def image_sources(markdown: str, cwd: Path) -> list[str]:
    """Every image path in ``markdown``, read from pandoc's document tree (so any caption is safe).

    Parameters
    ----------
    markdown : str
    cwd : Path
        The folder pandoc runs in.

    Returns
    -------
    list of str
    """
    tree = json.loads(_run_pandoc(["--from", "markdown", "--to", "json"], cwd, stdin=markdown))
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Image":
                found.append(node["c"][2][0])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(tree["blocks"])
    return found


def image_files(src: str, options: dict) -> list[str]:
    """The files an image path stands for: itself, or, without an extension, one per format.

    As pandoc's ``--default-image-extension`` does, a path with no extension takes each
    format's ``default-image-extension`` (``../figures/figure1`` is ``figure1.pdf`` in the
    PDF and ``figure1.png`` in the HTML when the formats ask for those).

    Parameters
    ----------
    src : str
        The path as written in the document.
    options : dict
        The merged options (:func:`document_options`).

    Returns
    -------
    list of str
    """
    if PurePosixPath(src).suffix:
        return [src]
    extensions = sorted({str(format_options(options, fmt)["default-image-extension"]).lstrip(".")
                         for fmt in (options.get("format") or {})})
    return [f"{src}.{ext}" for ext in extensions]


def check_inputs(markdown: str, qmd: Path, project: Path, options: dict) -> None:
    """Every figure exists and every input (figures, bibliography, style sheets) lies in the project.

    Parameters
    ----------
    markdown : str
        The expanded document.
    qmd : Path
        The document.
    project : Path
        Its project folder.
    options : dict
        :func:`document_options`.
    """
    base = qmd.parent
    local = [s for s in image_sources(markdown, base) if not re.match(r"^[a-z][a-z0-9+.-]*:", s, re.I)]
    files = [f for src in local for f in image_files(src, options)]
    for src in files:
        _require_inside(base / src, project, "figure")
    missing = [s for s in files if not (base / s).is_file()]
    if missing:
        raise RenderError(f"missing figure file(s): {', '.join(missing)} (run `make all` to build them)")
    for fmt in (options.get("format") or {}):
        for key in PATH_OPTIONS:
            value = format_options(options, fmt).get(key)
            if key == "filters":
                value = [path for path, _ in lua_filters({"filters": value})]
            for path in [value] if isinstance(value, str) else (value or []):
                _require_inside(Path(path), project, f"{key} file")
                if not Path(path).is_file():
                    raise RenderError(f"{key} file {path} does not exist")


def prepare(qmd: Path, metadata: dict | None = None) -> tuple[str, Path, dict]:
    """The paper's Markdown with shortcodes expanded, its project directory and merged options.

    Runs every check both renderers share; raises ``RenderError`` on the first problem.

    Parameters
    ----------
    qmd : Path
        The paper's ``.qmd``.
    metadata : dict, optional
        Metadata the renderer sets on its command line (``-M key:value``), over the document's own.

    Returns
    -------
    (markdown, project, options) : tuple
    """
    qmd = Path(qmd).resolve()
    project = find_project(qmd)
    options = document_options(qmd, project)
    variables = load_variables(qmd, project)
    text = expand_shortcodes(qmd.read_text(encoding="utf-8"), variables, qmd.parent, project=project,
                             metadata={**options, **(metadata or {})})
    check_inputs(text, qmd, project, options)
    return text, project, options


# --------------------------------------------------------------------------- the HTML alone
#: What a reference may point to without a request leaving the file (in-page anchors, embedded data).
_EMBEDDED = ("#", "data:")
#: What a link (``<a href>``) may point to: the page itself, embedded data, or the web (a DOI).
_LINK_TARGETS = ("#", "data:", "http://", "https://", "mailto:")
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)|@import\s+['"]([^'"]*)""", re.I)


class _References(HTMLParser):
    """Collects what an HTML page would fetch, and its links to files beside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._style = False

    def _css(self, tag: str, css: str) -> None:
        for m in _CSS_URL.finditer(css):
            url = (m.group(1) or m.group(2) or "").strip()
            if url and not url.lower().startswith(_EMBEDDED):
                self.found.append(f"<{tag}> CSS loads {url[:80]}")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._style = tag == "style"
        for name, value in attrs:
            value = (value or "").strip()
            if not value:
                continue
            if name == "style":
                self._css(tag, value)
            elif name in ("src", "poster", "data", "xlink:href") or (name == "href" and tag in ("link", "image", "use")):
                if not value.lower().startswith(_EMBEDDED):
                    self.found.append(f'<{tag} {name}="{value[:80]}"> loads a file or URL')
            elif name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url and not url.lower().startswith(_EMBEDDED):
                        self.found.append(f'<{tag} srcset="{url[:80]}"> loads a file or URL')
            elif name == "href" and not value.lower().startswith(_LINK_TARGETS):
                self.found.append(f'<{tag} href="{value[:80]}"> links to a file beside the page')

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:  # the text of <style>; that of <script> is code, not a reference
            self._css("style", data)


def external_references(html: str) -> list[str]:
    """What keeps ``html`` from working alone and offline: every file or URL it would load, and
    every link to a file beside it; empty when the page is self-contained.

    A page may load only ``data:`` URIs and in-page anchors (``src``, ``srcset``, ``<link href>``,
    SVG ``href``, CSS ``url()`` and ``@import``); its links (``<a href>``) may point to the page
    itself or to the web (a DOI), never to a file beside it (``paper.pdf``), which is dead when the
    HTML is shared alone. The text of scripts is code and is not read.

    Parameters
    ----------
    html : str
        The page.

    Returns
    -------
    list of str
        One line per reference, naming the tag, the attribute and the target.
    """
    parser = _References()
    parser.feed(html)
    parser.close()
    return parser.found


def _not_self_contained(name: str, problems: list[str]) -> str:
    more = f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""
    return (f"{name} does not work alone and offline:\n  " + "\n  ".join(problems[:8]) + more + "\nEmbed "
            "what it loads (embed-resources: true; a raw HTML block must name files the renderer can inline) "
            "and link to no file beside it (format-links: false in paper/_metadata.yml drops the link to the PDF).")


# --------------------------------------------------------------------------- the fallback
def _output_name(qmd: Path, opts: dict, ext: str) -> str:
    return str(opts.get("output-file") or f"{qmd.stem}.{ext}")


def _list(value) -> list:
    return [] if value in (None, False) else [value] if isinstance(value, (str, int, float)) else list(value)


#: Where Quarto may run a user's filter (``filters: [{path: …, at: …}]``); those before its own filters first.
FILTERS_BEFORE_QUARTO = ("pre-ast", "post-ast", "pre-quarto")
FILTERS_AFTER_QUARTO = ("post-quarto", "pre-render", "post-render", "pre-finalize", "post-finalize")


def lua_filters(opts: dict) -> list[tuple[str, str]]:
    """The ``filters`` option as ``(path, at)`` pairs: an entry is a path (run at ``pre-quarto``, Quarto's
    default) or a mapping with ``path`` and ``at``.

    The fallback runs Lua filters only: Quarto's own entries ``quarto`` and ``citeproc`` (which place its
    filters or citeproc among the user's) and JSON filters are refused, with a message, rather than run
    otherwise than Quarto would.

    Parameters
    ----------
    opts : dict
        The merged options of one format.

    Returns
    -------
    list of (str, str)

    Raises
    ------
    RenderError
        If an entry is neither, or names a stage Quarto does not have.
    """
    out = []
    for entry in _list(opts.get("filters")):
        path, at = (entry.get("path"), entry.get("at", "pre-quarto")) if isinstance(entry, dict) else (entry, "pre-quarto")
        if not isinstance(path, str) or at not in FILTERS_BEFORE_QUARTO + FILTERS_AFTER_QUARTO:
            raise RenderError(f"a filters entry must be a path or {{path: ..., at: ...}} with at one of "
                              f"{', '.join(FILTERS_BEFORE_QUARTO + FILTERS_AFTER_QUARTO)}; got {entry!r}")
        kind = entry.get("type", "lua") if isinstance(entry, dict) else "lua"
        if Path(path).name in ("quarto", "citeproc") or kind != "lua" or not path.endswith(".lua"):
            raise RenderError(f"the fallback renderer runs Lua filters (a .lua file) only, not {entry!r}: render "
                              "with Quarto, or drop the entry")
        out.append((path, at))
    return out


def _check_supported(opts: dict, fmt: str) -> None:
    unknown = sorted(set(opts) - FORMAT_OPTIONS[fmt] - METADATA_KEYS - PROJECT_OPTIONS)
    if unknown:
        raise RenderError(f"the fallback renderer does not support the {fmt} option(s) {', '.join(unknown)}; "
                          f"it understands {', '.join(sorted(FORMAT_OPTIONS[fmt]))}. Render with Quarto, "
                          "or drop the option")


def pandoc_args(opts: dict, fmt: str, base: Path | None = None) -> list[str]:
    """pandoc's command-line options for the merged Quarto options ``opts`` of format ``fmt``.

    Parameters
    ----------
    opts : dict
        :func:`format_options` (Quarto's defaults included).
    fmt : str
        ``"typst"`` or ``"html"``.
    base : Path, optional
        The folder the Typst file is written to (default: the working directory); Typst's own
        bibliography names its files relative to it.

    Returns
    -------
    list of str
    """
    _check_supported(opts, fmt)
    bibliographies = _list(opts.get("bibliography"))
    citeproc = bool(opts.get("citeproc"))
    # The document's own Lua filters, each before or after the cross-references as Quarto would run it.
    before, after = [], []
    for path, at in lua_filters(opts):
        (before if at in FILTERS_BEFORE_QUARTO else after).append(path)
    args = ["--from", "markdown", "--standalone",
            *(a for path in before for a in ("--lua-filter", path)),
            "--lua-filter", str(CROSSREF_FILTER),
            *(a for path in after for a in ("--lua-filter", path)),
            f"--default-image-extension={str(opts['default-image-extension']).lstrip('.')}"]
    if citeproc:
        args.append("--citeproc")
        for bib in bibliographies:
            args += ["--bibliography", bib]
        if opts.get("csl"):
            args += ["--csl", opts["csl"]]
    if opts.get("number-sections"):
        args.append("--number-sections")
    if opts.get("toc"):
        args += ["--toc", f"--toc-depth={int(opts.get('toc-depth', 3))}"]
    for key, flag in (("include-in-header", "-H"), ("include-before-body", "-B"), ("include-after-body", "-A")):
        for path in _list(opts.get(key)):
            args += [flag, path]
    if fmt == "typst":
        if not citeproc:
            # Typst's own bibliography, as Quarto's biblio.typ partial writes it (files relative to the .typ).
            here = Path(base or Path.cwd()).resolve()
            for bib in bibliographies:
                args += ["-V", f"bibliography={os.path.relpath(bib, here)}"]
            style = opts.get("csl") or opts.get("bibliographystyle")
            if style:
                style = os.path.relpath(style, here) if str(style).endswith(".csl") else str(style)
                args += ["-V", f"bibliographystyle={style}"]
        if opts.get("papersize"):
            args += ["-V", f"papersize={opts['papersize']}"]
        if opts.get("fontsize"):
            args += ["-V", f"fontsize={opts['fontsize']}"]
        if opts.get("mainfont"):
            args += ["-V", f"mainfont={opts['mainfont']}"]
        if opts.get("columns"):
            args += ["-V", f"columns={opts['columns']}"]
        args += ["-V", f"page-numbering={opts.get('page-numbering', '1')}"]
        if opts.get("section-numbering"):
            args += ["-V", f"section-numbering={opts['section-numbering']}"]
        # With citeproc, Quarto turns pandoc's Typst citations off (typst-citations): the text is citeproc's.
        args += ["--to", "typst-citations" if citeproc else "typst"]
    else:
        method = opts.get("html-math-method", "mathml")
        if method != "mathml":
            raise RenderError(f"the fallback renders math in HTML as MathML only, not {method!r}")
        args.append("--mathml")
        if opts.get("embed-resources") or opts.get("self-contained"):
            args.append("--embed-resources")
        for css in _list(opts.get("css")):
            args += ["--css", css]
        if opts.get("toc-title"):
            args += ["-M", f"toc-title={opts['toc-title']}"]
        args += ["--to", "html5"]
    return args


def _metadata(opts: dict, *extra: str) -> dict:
    return {k: v for k, v in opts.items() if k in METADATA_KEYS or k in extra}


def _compile_typst(typ: Path, pdf: Path, project: Path) -> None:
    import typst

    try:
        # The PDF's date comes from SOURCE_DATE_EPOCH (reproducible builds), not the clock.
        stamp = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
        typst.compile(str(typ), output=str(pdf), root=str(project), timestamp=stamp)
    except Exception as exc:  # typst raises its own error types
        raise RenderError(f"typst could not compile the paper (root {project}): {exc}") from None


def _format_links(html_opts: dict, others: list[str]) -> str:
    """Quarto's "Other Formats" block: a link to each other output, unless ``format-links: false``."""
    if html_opts.get("format-links") is False or not others:
        return ""
    items = "".join(f'<li><a href="{name}">{Path(name).suffix.lstrip(".").upper()}</a></li>' for name in others)
    return f'<div class="quarto-alternate-formats"><h2>Other Formats</h2><ul>{items}</ul></div>\n'


def _fallback(qmd: Path, project: Path, options: dict, markdown: str) -> str:
    base = qmd.parent
    typst_opts, html_opts = format_options(options, "typst"), format_options(options, "html")
    typst_args, html_args = pandoc_args(typst_opts, "typst", base), pandoc_args(html_opts, "html", base)
    pdf, html = base / _output_name(qmd, typst_opts, "pdf"), base / _output_name(qmd, html_opts, "html")
    with scratch_folder(".render-", base) as tmp:
        # The intermediate files sit beside the document, so relative paths resolve as in Quarto.
        md, typ = base / f".{qmd.stem}.render.md", base / f".{qmd.stem}.typ"
        # Metadata set in _quarto.yml or _metadata.yml (the front matter, read by pandoc, wins).
        meta_typst, meta_html = tmp / "typst.yml", tmp / "html.yml"
        meta_typst.write_text(yaml.safe_dump(_metadata(typst_opts, "margin")), encoding="utf-8")
        meta_html.write_text(yaml.safe_dump(_metadata(html_opts)), encoding="utf-8")
        links = _format_links(html_opts, [pdf.name])
        if links:
            (tmp / "format-links.html").write_text(links, encoding="utf-8")
            html_args += ["-A", str(tmp / "format-links.html")]
        try:
            md.write_text(markdown, encoding="utf-8")
            _run_pandoc([md.name, *typst_args, "--metadata-file", str(meta_typst), "-o", typ.name], cwd=base)
            _compile_typst(typ, tmp / "out.pdf", project)
            _run_pandoc([md.name, *html_args, "--metadata-file", str(meta_html), "-o", str(tmp / "out.html")],
                        cwd=base)
        finally:
            md.unlink(missing_ok=True)
            typ.unlink(missing_ok=True)
        problems = external_references((tmp / "out.html").read_text(encoding="utf-8"))
        if problems:
            raise RenderError(_not_self_contained(html.name, problems))
        os.replace(tmp / "out.pdf", pdf)
        os.replace(tmp / "out.html", html)
    pandoc, typst = _fallback_versions()
    return f"the fallback (pandoc {pandoc} + typst {typst})"


def _fallback_versions() -> tuple[str, str]:
    """The versions of pandoc (from ``pypandoc-binary``) and Typst (the ``typst`` wheel) the fallback runs."""
    import importlib.metadata

    first = subprocess.run([_pandoc(), "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return first.removeprefix("pandoc").strip(), importlib.metadata.version("typst")


def renderer_name(quarto_version: str | None) -> str:
    """How the report names its renderer (:data:`RENDERER_META`): Quarto's version, or the fallback's tools.

    Parameters
    ----------
    quarto_version : str or None
        ``quarto --version``; None for the fallback.

    Returns
    -------
    str
    """
    if quarto_version is not None:
        return f"Quarto {quarto_version}"
    pandoc, typst = _fallback_versions()
    return f"the fallback renderer of this package (pandoc {pandoc} and Typst {typst})"


# --------------------------------------------------------------------------- Quarto
def quarto_problems(log: str) -> list[str]:
    """Lines of Quarto's output that mean the paper is wrong although Quarto exited 0.

    Parameters
    ----------
    log : str
        Quarto's output.

    Returns
    -------
    list of str
    """
    return [line.strip() for line in log.splitlines() if "WARNING" in line or "?var:" in line]


def version_satisfies(version: str, required: str) -> bool:
    """Whether ``version`` (``1.10.18``) meets ``required``, a range as ``quarto-required`` writes it.

    The range is comparators (``>=``, ``>``, ``<=``, ``<``, ``=``; none means ``=``) joined by
    spaces, all of which must hold, with alternatives joined by ``||``; a partial version
    (``1.10``) is padded with zeros, and with ``=`` matches every version it begins.

    Parameters
    ----------
    version : str
        What ``quarto --version`` prints.
    required : str
        The range (``">=1.10.18 <1.11.0"``).

    Returns
    -------
    bool
    """
    found = re.match(r"\s*v?(\d+(?:\.\d+)*)", str(version))
    if not found:
        raise RenderError(f"cannot read a version number in {version!r}")
    have = tuple(int(x) for x in found.group(1).split("."))

    def holds(op: str, text: str) -> bool:
        want = tuple(int(x) for x in text.split("."))
        width = max(len(have), len(want), 3)
        h, w = have + (0,) * (width - len(have)), want + (0,) * (width - len(want))
        return {">=": h >= w, ">": h > w, "<=": h <= w, "<": h < w}.get(op, have[: len(want)] == want)

    for alternative in str(required).split("||"):
        terms = re.findall(r"(>=|<=|>|<|==|=)?\s*v?(\d+(?:\.\d+)*)", alternative)
        if not terms or re.sub(r"(>=|<=|>|<|==|=)?\s*v?\d+(?:\.\d+)*|\s+", "", alternative):
            raise RenderError(f"quarto-required {required!r} is not a version range such as '>=1.10.18 <1.11.0'")
        if all(holds(op, text) for op, text in terms):
            return True
    return False


def _quarto_version(quarto: str) -> str:
    return subprocess.run([quarto, "--version"], capture_output=True, text=True).stdout.strip()


def _quarto(quarto: str, version: str, qmd: Path, project: Path, options: dict, metadata: dict) -> str:
    required = options.get("quarto-required")
    if required and not version_satisfies(version, required):
        raise RenderError(f"the report is known to build with Quarto {required} (quarto-required in "
                          f"{PROJECT_FILE}), but `quarto` on PATH ({quarto}) is version {version}. Install a "
                          "version in that range, or render with the fallback (`backlash paper --fallback`, "
                          "or take quarto off PATH)")
    outputs = [qmd.parent / _output_name(qmd, format_options(options, fmt), ext)
               for fmt, ext in (("typst", "pdf"), ("html", "html"))]
    with scratch_folder(".render-") as tmpdir:
        backup = {p: tmpdir / p.name for p in outputs if p.is_file()}
        for p, b in backup.items():
            shutil.copy2(p, b)

        def fail(message: str) -> RenderError:
            for p in outputs:  # put the previous outputs back: a failed render changes nothing
                if p in backup:
                    shutil.copy2(backup[p], p)
                else:
                    p.unlink(missing_ok=True)
            return RenderError(message)

        start = time.time()
        meta_args = [a for key, value in metadata.items() for a in ("-M", f"{key}:{value}")]
        res = subprocess.run([quarto, "render", str(qmd.relative_to(project)), *meta_args], cwd=project,
                             capture_output=True, text=True)
        log = res.stdout + res.stderr
        if res.returncode != 0:
            raise fail(f"quarto render failed (exit status {res.returncode}):\n{log[-3000:]}")
        problems = quarto_problems(log)
        for p in outputs:
            if not p.is_file() or p.stat().st_mtime < start - 2:
                raise fail(f"quarto render did not produce {p.relative_to(project)}")
        html = outputs[1].read_text(encoding="utf-8", errors="replace")
        unresolved = re.search(r"[?](?:var|meta):[^ <]*", html)
        if unresolved:
            problems.append(f"{outputs[1].name} contains an unresolved shortcode ({unresolved.group(0)})")
        if problems:
            raise fail("quarto rendered the paper with problems (fix them; Quarto only warns):\n  "
                       + "\n  ".join(problems))
        references = external_references(html)
        if references:
            raise fail(_not_self_contained(outputs[1].name, references))
    return f"quarto {version}"


def remove_render_leftovers(folder: Path) -> list[Path]:
    """Delete scratch files a killed render left in ``folder`` (``.render-*/`` and ``.paper.*``).

    Call it only while holding :func:`exclusive` on ``folder``: another render's scratch files
    look the same.

    Parameters
    ----------
    folder : Path

    Returns
    -------
    list of Path
        What was removed.
    """
    removed = []
    for p in sorted(folder.glob(".render-*")) + sorted(folder.glob(".paper.*")):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p)
    return removed


@contextmanager
def exclusive(folder: Path, on_wait=None):
    """Hold the render lock of ``folder`` while the block runs, waiting for another holder first.

    The lock is ``flock`` on the folder itself, so there is no lock file to leave behind, and the
    kernel releases it when its holder ends, even by SIGKILL.  Two renders of one document (two
    `make all` started at once in one tree) thus run one after the other; without it, each would
    delete or overwrite the other's scratch files.

    Parameters
    ----------
    folder : Path
        The document's folder.
    on_wait : callable, optional
        Called once, without arguments, when another process holds the lock (to say so).

    Yields
    ------
    None
        While the lock is held.
    """
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def render_paper(qmd: Path, force_fallback: bool = False, on_wait=None) -> str:
    """Render ``qmd`` to PDF and HTML beside it; return a description of the renderer used.

    One render of a folder runs at a time (:func:`exclusive`); it first removes what a killed
    render left there.

    Parameters
    ----------
    qmd : Path
        The document.
    force_fallback : bool
        Use pandoc and Typst even when Quarto is installed.
    on_wait : callable, optional
        Called when another render of the same folder is running (this one then waits for it).

    Returns
    -------
    str

    Raises
    ------
    RenderError
        On a missing variable, include or figure, an input outside the project
        directory, an unresolved reference, a leftover shortcode, a pandoc
        warning, a Typst failure, an HTML that would load or link to a file
        (:func:`external_references`), a Quarto outside ``quarto-required``, or a
        Quarto failure or warning.  The previous outputs are then left as they were.
    """
    qmd = Path(qmd).resolve()
    if not qmd.is_file():
        raise RenderError(f"{qmd} does not exist")
    with exclusive(qmd.parent, on_wait):
        remove_render_leftovers(qmd.parent)
        return render_unlocked(qmd, force_fallback)


def render_unlocked(qmd: Path, force_fallback: bool = False, renderer: str | None = None) -> str:
    """:func:`render_paper` without its lock and clean-up, for a renderer that its holder runs.

    The tests' stand-in for Quarto renders with the fallback while the ``backlash paper`` that
    started it holds the lock; real Quarto never calls back.

    Parameters
    ----------
    qmd : Path
        The document (an existing file).
    force_fallback : bool
        Use pandoc and Typst even when Quarto is installed.
    renderer : str, optional
        The report's name for its renderer (:data:`RENDERER_META`), when a caller that renders for
        Quarto knows it better; by default :func:`renderer_name` of the renderer used.

    Returns
    -------
    str
        A description of the renderer used.
    """
    qmd = Path(qmd).resolve()
    quarto = None if force_fallback else shutil.which("quarto")
    version = _quarto_version(quarto) if quarto else None
    metadata = {RENDERER_META: renderer or renderer_name(version)}
    markdown, project, options = prepare(qmd, metadata)  # the same checks for both renderers
    if quarto:
        return _quarto(quarto, version, qmd, project, options, metadata)
    return _fallback(qmd, project, options, markdown)
