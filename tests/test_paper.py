"""The replication report: renders offline to PDF and self-contained HTML under Quarto's rules,
every number generated, every symbol typeset."""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from _fake_quarto import GITIGNORE_ENTRIES, ensure_gitignore, quarto_html
from _fake_quarto import install as install_fake_quarto
from _report_checks import (DOUBLED, crossref_problems, headings, raster_images, reference_list, vector_figures)
from _report_checks import pdf_text as report_pdf_text
from pypdf import PdfReader

from backlash import paths
from backlash.render import (CROSSREF_FILTER, RenderError, _compile_typst, _run_pandoc, document_options,
                             expand_shortcodes, external_references, find_project, format_options, pandoc_args,
                             render_paper, renderer_name, version_satisfies)
from backlash.report import f as fmt

#: Symbols written the way plain text writes them instead of as mathematics.
#: A symbol written as plain text (γ_L, D*_w, θ*_LE, x_H). Lower-case names such as `x_h` and
#: `alpha_r` are parameter keys of the CLI and the explorer's address, set in code font, not symbols.
RAW_SYMBOL = re.compile(r"[γθαλψΨπβμ]\*?_|\b[DxI]\*?_[A-Zℓ]|\bD\*[_ℓw]|θ\*_|\b[xD]_[HLwℓ]\b")


def _copy_project(dest: Path) -> Path:
    """A copy of the Quarto project (root config, variables, paper/, figures/); returns its paper.qmd."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(paths.QUARTO_PROJECT, dest / "_quarto.yml")
    shutil.copy2(paths.PAPER_VARIABLES, dest / "_variables.yml")
    shutil.copytree(paths.PAPER, dest / "paper", ignore=shutil.ignore_patterns("paper.pdf", "paper.html"))
    shutil.copytree(paths.FIGURES, dest / "figures")
    return dest / "paper" / "paper.qmd"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Render a temporary copy of the project with the fallback renderer; returns its paper/ folder."""
    qmd = _copy_project(tmp_path_factory.mktemp("render") / "project")
    render_paper(qmd, force_fallback=True)
    return qmd.parent


@pytest.fixture(scope="module")
def pdf_text(rendered) -> str:
    """The PDF's text, as a reader copies it."""
    return report_pdf_text(rendered / "paper.pdf")


@pytest.fixture(scope="module")
def html_text(rendered) -> str:
    """The HTML's visible text: no tags, no MathML (whose <annotation> holds the TeX source)."""
    html = (rendered / "paper.html").read_text()
    html = re.sub(r"<(script|style|math)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _add(qmd: Path, addition: str) -> None:
    qmd.write_text(qmd.read_text().replace("# References {.unnumbered}", f"{addition}\n\n# References {{.unnumbered}}"))


def test_both_outputs_exist(rendered):
    assert (rendered / "paper.pdf").stat().st_size > 10_000
    assert (rendered / "paper.html").stat().st_size > 10_000


def test_the_report_is_the_same_bytes_rendered_in_another_folder(rendered):
    """The report rendered again from the same inputs in another folder is byte for byte the one `make all`
    wrote (the PDF's date comes from SOURCE_DATE_EPOCH, no path of the project is written into it)."""
    if shutil.which("quarto"):
        pytest.skip("`make all` rendered with Quarto, this copy with the fallback")
    for name in ("paper.pdf", "paper.html"):
        assert (rendered / name).read_bytes() == (paths.PAPER / name).read_bytes(), f"{name} differs"


def test_pdf_has_every_caption_and_no_unresolved_marks(pdf_text):
    """Every figure and table caption is in the PDF; no '??', no leftover shortcode or label."""
    for k in range(1, 6):
        assert f"Figure {k}:" in pdf_text
    for k in range(1, 5):
        assert f"Table {k}:" in pdf_text
    for phrase in ("Exit thresholds", "Vote differences", "Equilibrium regimes", "reputational cost",
                   "Withdrawals from IGOs", "The withdrawal rules", "Poisson models", "proof of Proposition 3"):
        assert phrase in pdf_text
    assert "??" not in pdf_text and "{{<" not in pdf_text and "?var:" not in pdf_text
    assert not re.search(r"@(fig|tbl|eq|sec)-|\{#", pdf_text)


def test_outputs_follow_the_merged_quarto_options(rendered, pdf_text):
    """The fallback honours paper/_metadata.yml: an A4 PDF with numbered sections and author-year
    citations (citeproc's Chicago author-date), an HTML with a table of contents."""
    page = PdfReader(rendered / "paper.pdf").pages[0].mediabox
    assert (round(float(page.width) / 72 * 25.4), round(float(page.height) / 72 * 25.4)) == (210, 297)
    assert "2 The model in brief" in pdf_text and "Section 2" in pdf_text
    assert re.search(r"Pevehouse et al\. 2020", pdf_text) and not re.search(r"\[\d+\]", pdf_text)
    html = (rendered / "paper.html").read_text()
    assert 'id="TOC"' in html and 'href="#sec-model"' in html


def test_pdf_has_the_prop3_numbers_under_both_calibrations(pdf_text):
    """Each Prop. 3 number appears in the PDF as printed, under `equations` and under `reported`."""
    table = pd.read_csv(paths.PROP3_TABLE)
    for col in ("printed", "equations", "reported"):
        for value in table[col]:
            assert fmt(value) in pdf_text or fmt(value).replace("−", "-") in pdf_text, (col, value)


def test_no_symbol_is_written_as_plain_text(pdf_text, html_text):
    """Symbols such as γ_L, D*_w, θ*_LE or x_H never appear as raw text in the PDF or the HTML:
    they are typeset as mathematics (in the prose, the generated tables and the variables)."""
    assert RAW_SYMBOL.search("at γ_L and D*_w, θ*_LE, x_H")  # the pattern does catch them
    assert not RAW_SYMBOL.search("the keys `x_h` and `alpha_r`")  # and leaves parameter keys alone
    assert not RAW_SYMBOL.search(pdf_text), RAW_SYMBOL.findall(pdf_text)
    assert not RAW_SYMBOL.search(html_text), RAW_SYMBOL.findall(html_text)
    assert "′s" not in pdf_text and "′s" not in html_text


def test_references_carry_dois_and_the_working_paper_note(pdf_text):
    """Journal articles are cited with their DOI, URLs are not capitalized ("Https://"), and the
    article replicated is cited as the working paper it is."""
    for doi in ("10.1177/0022343319881175", "10.1007/BF00116710"):
        assert f"https://doi.org/{doi}" in pdf_text
    assert "Https://" not in pdf_text and "Working paper, version of March 5, 2025" in pdf_text


def test_pdf_figures_are_vector(rendered):
    """The PDF embeds the vector figures (figures/*.pdf, through `default-image-extension: pdf`), not PNG
    copies: it holds no raster image at all, and one embedded vector graphic per figure."""
    assert raster_images(rendered / "paper.pdf") == []
    figures = len(re.findall(r"^!\[.*\]\(\.\./figures/[a-z0-9_]+\)\{#fig-", paths.PAPER_QMD.read_text(), re.M))
    assert figures >= 7 and vector_figures(rendered / "paper.pdf") == figures


def _page_lines(pdf: Path) -> tuple[tuple[tuple[tuple[float, float, float, float, str], ...], ...], float]:
    """Every page's lines of text, top to bottom, each its word boxes (x0, y0, x1, y1, text) from left to right;
    and the height of a word of a table.

    Word boxes come from poppler's `pdftotext -bbox`; a line is the words whose bottoms lie within 1.5 pt
    (code sits a little higher than text). Tables are set at 8 pt in a 10 pt report, so a word of a table
    is 0.8 times as tall as the commonest word (the body's); captions (9 pt), the body and the figures'
    own text (another face) are other heights. Word joiners (which print nothing) are dropped. The layout
    tests share one reading of each file as it is (read again when its size or time changes)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils; .ci/run installs it)")
    stat = pdf.stat()
    return _read_page_lines(str(pdf), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _read_page_lines(pdf: str, size: int, mtime_ns: int):
    """:func:`_page_lines` of the file at ``pdf`` with this size and time (the cache's key), as tuples."""
    from statistics import mode

    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
    box = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    pages = [[(float(a), float(b), float(c), float(d), t.replace("\u2060", "")) for a, b, c, d, t in box.findall(page)]
             for page in html.split("<page ")[1:]]
    cell = 0.8 * mode(round(w[3] - w[1], 2) for words in pages for w in words)
    lines = []
    for words in pages:
        by_line: list[list] = []
        for w in sorted(words, key=lambda w: w[3]):
            if by_line and w[3] - by_line[-1][0][3] < 1.5:
                by_line[-1].append(w)
            else:
                by_line.append([w])
        lines.append(tuple(tuple(sorted(line)) for line in by_line))
    return tuple(lines), cell


def _is_table_line(line: list[tuple[float, float, float, float, str]], cell: float) -> bool:
    """Whether a line holds a word of a table's height (see :func:`_page_lines`)."""
    return any(abs(w[3] - w[1] - cell) < 0.05 for w in line)


def _table_lines(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every line of table text in the PDF (see :func:`_page_lines`), its word boxes from left to right."""
    pages, cell = _page_lines(pdf)
    return [line for lines in pages for line in lines if _is_table_line(line, cell)]


def test_table_cells_neither_overlap_nor_hyphenate(rendered):
    """In every table, no word runs into the next column's and no word is broken across lines (Table 9's
    year column overlapped the organization's names, and "Czechoslovakia" printed as "Czecho-/slova-/kia";
    Table 1's `no_state_mass_exit` ran to 3 pt from the next cell's text): on every line of a table, each
    word ends before the next begins and none ends in a hyphen or a soft hyphen. After a rule's name in
    code, the next word either touches it (a parenthesis or comma of the same cell) or starts at least
    6 pt after it (the next column)."""
    from backlash.withdrawal import RULES

    lines = _table_lines(rendered / "paper.pdf")
    words = [w for line in lines for w in line]
    assert len(lines) > 100 and {"Czechoslovakia", "state-years", "withdrawals"} <= {w[4] for w in words}
    found = []
    for line in lines:
        text = " ".join(w[4] for w in line)
        for a, b in zip(line, line[1:]):
            assert b[0] >= a[2] - 0.1, f"{a[4]!r} runs {a[2] - b[0]:.1f} pt into {b[4]!r}: {text}"
            if a[4].strip("()`,.;:") in RULES:
                found.append((a[4].strip("()`,.;:"), b[0] - a[2]))
                assert b[0] - a[2] < 0.5 or b[0] - a[2] >= 6, f"{a[4]} runs into the next column: {text}"
        broken = [w[4] for w in line if w[4].endswith(("-", "\u00ad", "\u2010"))]
        assert not broken, f"a word broken across lines in a table: {broken} in {text}"
    assert any(name == "no_state_mass_exit" and gap >= 6 for name, gap in found)


#: An estimate and its parenthesis in a table cell: a standard error ("1.43 (0.12)"), an interval
#: ("1.22 (0.97–1.54)") or a p-value ("1.42 (0.007)", "1.42 (< 0.001)"), with any spaces, joiners or none.
ESTIMATE_WITH_NOTE = re.compile(r"[−-]?\d[\d.,]*[ \u00a0]\((?:[<>][ \u00a0]?)?[−-]?\d[\d.,]*"
                                r"(?:–\u2060?[−-]?\d[\d.,]*)?\)")


def _printed(piece: str) -> str:
    """A piece of a table as pdftotext reads it: no word joiner, every space a plain one."""
    return piece.replace("\u2060", "").replace("\u00a0", " ")


def _split_pieces(pdf: Path, tables: list[str]) -> tuple[int, list[str]]:
    """How many estimates with a parenthesis the tables' Markdown holds, and those that no line of a table in
    the PDF holds whole (as often as the Markdown has them)."""
    from collections import Counter

    wanted = Counter(_printed(m) for md in tables for m in ESTIMATE_WITH_NOTE.findall(md))
    lines = [" ".join(w[4] for w in line) for line in _table_lines(pdf)]
    split = [piece for piece, k in wanted.items() if sum(line.count(piece) for line in lines) < k]
    return sum(wanted.values()), split


def test_no_estimate_or_interval_is_split_across_lines_in_a_table(rendered):
    """An estimate with its standard error, interval or p-value prints on one line of its cell (Table 10 broke
    "1.22 (0.97–" from "1.54)", Table 6 "1.51 (0.22)," from "0.057" and "1.43" from "(0.12),"): each such
    piece of the generated tables is whole on a line of a table in the PDF, as often as the tables hold it.
    The formatting keeps them whole (a non-breaking space before the parenthesis, a word joiner after an
    interval's en dash), and the pieces are found whatever the formatting, so a cell formatted another way
    is checked too."""
    from backlash.formats import NBSP, WORD_JOINER, estimate_interval, estimate_se, with_note

    assert estimate_interval(1.2, 0.97, 1.54) == f"1.20{NBSP}(0.97–{WORD_JOINER}1.54)"
    assert estimate_se(1.43, 0.123) == f"1.43{NBSP}(0.12)"
    assert with_note("1.42", "< 0.001") == f"1.42{NBSP}(<{NBSP}0.001)"
    row = "| 1.22 (0.97–1.54) | 1.43 (0.12), 0.004 | 1.42 (< 0.001) | rate ratio (SE) |"
    assert ESTIMATE_WITH_NOTE.findall(row) == ["1.22 (0.97–1.54)", "1.43 (0.12)", "1.42 (< 0.001)"]
    tables = [p.read_text(encoding="utf-8") for p in sorted((rendered / "generated").glob("*.md"))]
    count, split = _split_pieces(rendered / "paper.pdf", tables)
    assert count > 100, count  # the count model, the decomposition, the measures and the inequality tables
    assert not split, f"split across lines in a table of the PDF: {split}"


#: A number as a table prints it: digits with any decimal point and thousands commas inside ("4,629", "0.0497").
NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def test_no_number_in_a_table_wraps_across_lines(rendered):
    """No number of a table is broken across lines of its cell, whatever surrounds it (a p-value, a count, a
    bound of an interval): every number in the generated pipe tables, outside mathematics, is printed whole on a line of a table in the
    PDF, as often as the tables hold it (pdftotext's words, read with the same pattern, would show a number
    broken at a comma or a point as two shorter ones)."""
    from collections import Counter

    wanted: Counter = Counter()
    for md in sorted((rendered / "generated").glob("*.md")):
        for row in md.read_text(encoding="utf-8").splitlines():
            if row.startswith("|") and not set(row) <= set("|:- "):
                wanted.update(NUMBER.findall(re.sub(r"\$[^$]*\$", " ", _printed(row))))  # not mathematics
    printed = Counter(NUMBER.findall(" ".join(w[4] for line in _table_lines(rendered / "paper.pdf") for w in line)))
    assert sum(wanted.values()) > 1000, sum(wanted.values())
    short = {number: (k, printed[number]) for number, k in wanted.items() if printed[number] < k}
    assert not short, f"numbers printed whole fewer times than the tables hold them (wanted, found): {short}"


#: The fewest body rows a table split across pages leaves under its caption at a page's foot.
LEAST_ROWS = 3


def _table_starts(pdf: Path) -> tuple[list[tuple[str, int, int, float]], float]:
    """Every table of the PDF: its caption's label ("Table 2"), its page, the body rows that page holds under
    its caption and header, and, if it goes on to the next page, its height on the two pages (else 0); and the
    height of the pages' text (the first line's top to the last line's bottom, the page number left out).

    A caption is a line opening with "Table N:" in the captions' 9 pt; the table is the lines of table text
    after it (see :func:`_page_lines`), with the smaller lines of sub- and superscripts and code among them.
    It goes on to the next page when nothing but such small lines and the page number follows it on its page
    and the next page opens with table text or the rest of its caption. A row is a run of lines less than
    14 pt apart (a wrapped cell's lines are about 10.5 pt apart, rows about 17 pt); the first is the header."""
    pages, cell = _page_lines(pdf)

    def number(line):
        return re.fullmatch(r"\d+", " ".join(w[4] for w in line))

    def small(line):
        return max(w[3] - w[1] for w in line) < cell - 1 or number(line)

    def caption(line):
        return abs(line[0][3] - line[0][1] - 9 / 8 * cell) < 0.1

    def starts(line):
        return caption(line) and len(line) > 1 and line[0][4] == "Table" and re.fullmatch(r"\d+:", line[1][4])

    texts = [[ln for ln in lines if not number(ln)] for lines in pages]
    text_height = max(t[-1][0][3] for t in texts if t) - min(min(w[1] for w in t[0]) for t in texts if t)
    found = []
    for page, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if not starts(line):
                continue
            table, k = [], i + 1
            while k < len(lines) and not _is_table_line(lines[k], cell):
                k += 1  # the caption's other lines
            while k < len(lines) and (_is_table_line(lines[k], cell) or small(lines[k])):
                if _is_table_line(lines[k], cell):
                    table.append(lines[k])
                k += 1
            rows = sum(b[0][3] - a[0][3] >= 14 for a, b in zip(table, table[1:]))
            nxt = [ln for ln in (pages[page + 1] if page + 1 < len(pages) else []) if not small(ln)]
            on = bool(nxt) and k == len(lines) and (_is_table_line(nxt[0], cell) or caption(nxt[0])
                                                     and not starts(nxt[0]))
            tall = 0.0
            if on:
                rest = next((j for j, ln in enumerate(nxt)
                             if starts(ln) or not (_is_table_line(ln, cell) or caption(ln))), len(nxt))
                top = min(w[1] for w in line)
                tall = ((table[-1][0][3] if table else lines[k - 1][0][3]) - top
                        + (nxt[rest - 1][0][3] - min(w[1] for w in nxt[0]) if rest else 0))
            found.append((f"Table {line[1][4].rstrip(':')}", page + 1, rows, tall))
    return found, text_height


def test_no_table_starts_at_a_page_foot_with_a_row_or_two(rendered):
    """A table is not split across pages with its caption, header and a row or two at a page's foot (Tables 2
    and 5 left one row under their caption): a table that fits on a page moves whole to the next one, and a
    longer one breaks only after at least three body rows, and only between rows. The rule is in the report's
    header, for the figures of pandoc's tables (`kind: table`) and of Quarto's (`kind: "quarto-float-tbl"`)."""
    header = paths.PAPER_QMD.read_text(encoding="utf-8").split("\n---", 1)[0]
    for kind in ("table", '"quarto-float-tbl"'):
        assert f"#show figure.where(kind: {kind}): table-figure" in header, kind
    assert "#set table.cell(breakable: false)" in header  # and no row is split across pages (Table 9's were)
    starts, text_height = _table_starts(rendered / "paper.pdf")
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    assert len(starts) == len(re.findall(r"\{#tbl-[\w-]+\}", qmd)), starts
    assert [name for name, *_ in starts] == [f"Table {k}" for k in range(1, len(starts) + 1)], starts
    assert any(tall for *_, tall in starts), "no table runs over a page (Tables 5 and 9 are longer than one)"
    orphaned = [(name, page, rows) for name, page, rows, tall in starts if tall and rows < LEAST_ROWS]
    assert not orphaned, f"tables that leave fewer than {LEAST_ROWS} rows at a page's foot: {orphaned}"
    fitting = [(name, page, round(tall)) for name, page, rows, tall in starts if 0 < tall < text_height]
    assert not fitting, f"tables split although they fit on a page of {text_height:.0f} pt: {fitting}"


def test_a_long_table_goes_on_at_the_top_of_the_next_page(rendered):
    """A table longer than a page goes on at the very top of the next page, under its repeated header, with
    nothing above it: Table 13, which fits on a page and so floats, once went to the top of the page where
    Table 12 ended, above Table 12's last rows, which then read as part of Table 13. The report's header keeps
    a float off a page on which a long table ends."""
    assert "<long-table-end>" in paths.PAPER_QMD.read_text(encoding="utf-8").split("\n---", 1)[0]
    pages, cell = _page_lines(rendered / "paper.pdf")

    def text(line):
        return " ".join(w[4] for w in line)

    headers, firsts = {}, set()  # each table's header line, and where it first stands, under the caption
    for page, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if line[0][4] == "Table" and len(line) > 1 and re.fullmatch(r"\d+:", line[1][4]):
                k = next((k for k in range(i + 1, len(lines)) if _is_table_line(lines[k], cell)), None)
                if k is not None:
                    headers[text(lines[k])] = text(line[:2])
                    firsts.add((page, k))
    continued = 0
    for page, lines in enumerate(pages):
        top = next((i for i, ln in enumerate(lines) if not re.fullmatch(r"\d+", text(ln))), None)
        for i, line in enumerate(lines):
            name = headers.get(text(line))
            if name is None or (page, i) in firsts or not _is_table_line(line, cell):
                continue
            continued += 1
            assert i == top, f"{name} goes on on page {page + 1} under {text(lines[top])!r}, not at the page's top"
    assert continued, "no table runs over a page (the grids of the appendix are longer than one)"


#: The largest share of the text block a page may leave blank at its foot, unless it ends a top-level section
#: (the next page opens with its heading; floats are flushed there) or the report. A long table may leave the
#: rest of a page blank when not even its caption, header and three rows fit there (about a fifth of the page);
#: more than 40% blank in the middle of a section reads as a hole, where a journal would float what follows.
MOST_BLANK = 0.4


def _blank_feet(pdf: Path, titles: list[str]) -> list[tuple[int, float]]:
    """Every page but the last and those ending a top-level section, and the share of the text block left
    blank below its last line (the page number left out): from the bottom of that line to the lowest bottom of
    a line on any page, over the height from the highest top to that bottom. A section ends a page when the
    next page opens with a line starting with one of ``titles`` (the numbered headings, "References")."""
    pages, _ = _page_lines(pdf)
    texts = [[ln for ln in lines if not re.fullmatch(r"\d+", " ".join(w[4] for w in ln))] for lines in pages]
    top = min(min(w[1] for w in t[0]) for t in texts if t)
    bottom = max(max(w[3] for w in t[-1]) for t in texts if t)
    feet = []
    for n, (text, after) in enumerate(zip(texts, texts[1:]), start=1):
        opening = " ".join(w[4] for w in after[0]) if after else ""
        if text and not opening.startswith(tuple(titles)):
            feet.append((n, (bottom - max(w[3] for w in text[-1])) / (bottom - top)))
    return feet


def test_no_page_is_left_half_empty_within_a_section(rendered):
    """No page in the middle of a section leaves more than MOST_BLANK of its text block blank at its foot: page
    16 was 45% blank when Table 10 (ten rows under a long caption), which fits on a page, did not fit below
    Figure 3's text and moved whole to the next page. A table that fits on a page now floats, as a figure does,
    and the text fills the page it leaves. Pages that end a top-level section, and the last, may end early."""
    from backlash.render import prepare

    markdown, _, _ = prepare(rendered / "paper.qmd", {"renderer": "a renderer"})
    numbered = [re.sub(r"\s*\{.*\}\s*$", "", line[2:]).strip() for line in markdown.splitlines()
                if line.startswith("# ") and ".unnumbered" not in line]
    titles = [f"{k} {title[:25]}" for k, title in enumerate(numbered, start=1)] + ["References"]
    feet = _blank_feet(rendered / "paper.pdf", titles)
    assert len(feet) > 15, feet
    holes = [(page, f"{blank:.0%}") for page, blank in feet if blank > MOST_BLANK]
    assert not holes, f"pages left more than {MOST_BLANK:.0%} blank within a section: {holes}"


def test_wide_table_gives_every_column_its_longest_word():
    """A table wider than a line (pandoc then shares the line by the separator's dashes) gives each column at
    least its widest unbreakable piece: a year beside a long wrapping column keeps room for four digits (Table
    9's "out" column got 2.6% of the line, less than its years, which ran into the names before them). The
    line's width assumes the tables' 8 pt set in the report's header."""
    from backlash.formats import CELL_PADDING, TABLE_LINE, WORD_MARGIN, _longest_word, estimate_interval, pipe_table

    assert "#show table: set text(size: 8pt" in paths.PAPER_QMD.read_text(encoding="utf-8")
    rows = [["Czechoslovakia", "International Monetary Fund", "1951", "a long reason " * 20, "`no_state_mass_exit`"]]
    md = pipe_table(["state", "organization", "out", "why", "rule"], rows, "llrll")
    dashes = [len(c.strip()) for c in md.splitlines()[1].strip("|").split("|")]  # colons count, as in pandoc
    share = [d / sum(dashes) * TABLE_LINE for d in dashes]
    for piece, width in zip(["Czechoslovakia", "International", "1951", "reason", "`no_state_mass_exit`"], share):
        assert width >= _longest_word(piece) + CELL_PADDING - 0.5, (piece, width)
    assert share[3] > 0.35 * TABLE_LINE  # the wrapping column takes what is left
    # an estimate with its interval cannot break (non-breaking space, word joiner): one piece of 16 characters
    assert _longest_word(estimate_interval(1.22, 0.97, 1.54)) == pytest.approx(WORD_MARGIN * 16)
    narrow = pipe_table(["a", "b"], [["x", "y"]], "ll")  # a narrow table keeps Typst's own column sizing
    assert max(len(line) for line in narrow.splitlines()) < 72


def test_bibliography_has_one_heading_et_al_and_no_doubled_punctuation(rendered, pdf_text):
    """One bibliography heading, the report's "References" (Typst's own "Bibliography" would come after
    it); a .bib author list ending in `and others` prints as "et al."; no title's own "?" or "," is
    followed by the bibliography's period ("Organizations?.", "Project,.")."""
    titles = headings(rendered / "paper.pdf")
    assert titles.count("References") == 1 and "Bibliography" not in titles and titles[-1] == "References"
    refs = reference_list(pdf_text)
    assert re.search(r"Coppedge, Michael,? .*?et al\. 2025", refs) and "and others" not in refs
    assert "Organizations?”" in refs and not DOUBLED.search(refs), DOUBLED.findall(refs)


def test_crossreferences_read_as_quartos(pdf_text, html_text):
    """References read as Quarto writes them: "Equation 2", "Figure 3", never "Equation (2)"."""
    assert re.search(r"Equation 2\b", pdf_text) and re.search(r"Equation\s2\b", html_text)
    assert crossref_problems(pdf_text) == [] and crossref_problems(html_text.replace("\u00a0", " ")) == []


def _bibliography() -> dict[str, dict[str, str]]:
    """paper/references.bib as {key: {field: value}} (one field a line, as the file is written)."""
    text = (paths.PAPER / "references.bib").read_text(encoding="utf-8")
    return {m.group(1): dict(re.findall(r"^\s*([a-z]+)\s*=\s*\{(.*)\},?\s*$", m.group(2), re.M))
            for m in re.finditer(r"^@\w+\{([^,\s]+),\n(.*?)\n\}", text, re.S | re.M)}


def test_every_data_source_is_cited_in_the_report_and_the_readme(pdf_text):
    """Each raw input names in data/sources.toml (`cite`) the works to cite for it; each is in
    references.bib, cited in the report (so in its bibliography, with its DOI as a link where it has one)
    and listed in the README's References, by DOI or else by title; the README also names the repository
    and commit of every pinned copy."""
    import tomllib

    bib = _bibliography()
    manifest = tomllib.loads(paths.SOURCES_MANIFEST.read_text(encoding="utf-8"))["source"]
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    readme_refs = " ".join(readme[readme.index("## References"):].split())
    refs = reference_list(pdf_text).replace(" ", "")
    for entry in manifest:
        assert entry.get("cite"), f"{entry['path']} names no work to cite (`cite` in data/sources.toml)"
        for key in entry["cite"]:
            assert key in bib, f"{entry['path']}: {key} is not in paper/references.bib"
            assert re.search(rf"@{key}\b", qmd), f"the report does not cite {key}"
            if "doi" in bib[key]:
                assert f"https://doi.org/{bib[key]['doi']}" in refs and bib[key]["doi"] in readme_refs, key
            else:
                title = re.sub(r"[{}]", "", bib[key]["title"]).replace("--", "–")
                assert title.lower()[:40] in readme_refs.lower(), key
        owner, repo, commit = re.match(r"https://raw\.githubusercontent\.com/([^/]+)/([^/]+)/([0-9a-f]{40})/",
                                       entry["url"]).groups()
        assert f"github.com/{owner}/{repo}" in readme_refs and commit in readme_refs, entry["url"]


def test_reference_list_names_each_pinned_commit_and_dataset_doi(pdf_text):
    """The PDF's reference list, not only the README, carries what a reader needs to find the data used: the
    commit of every pinned copy taken from a cited package's repository (igoR and democracyData printed "n.d."
    and no commit: citeproc drops a `note`), each cited work with a year, and for every input whose official
    source is a Harvard Dataverse record, that record's DOI (the SWIID's was missing)."""
    import tomllib

    text = (paths.PAPER / "references.bib").read_text(encoding="utf-8")
    kinds = dict((key, kind) for kind, key in re.findall(r"^@(\w+)\{([^,\s]+),", text, re.M))
    bib = _bibliography()
    refs = reference_list(pdf_text)
    flat = refs.replace(" ", "")
    assert "n.d." not in refs
    for entry in tomllib.loads(paths.SOURCES_MANIFEST.read_text(encoding="utf-8"))["source"]:
        owner, repo, commit = re.match(r"https://raw\.githubusercontent\.com/([^/]+)/([^/]+)/([0-9a-f]{40})/",
                                       entry["url"]).groups()
        if any(f"{owner}/{repo}" in bib[key].get("howpublished", "") for key in entry["cite"]):
            assert commit in flat, (entry["path"], commit)
        if "Dataverse" in entry["official"]:
            dois = [bib[k]["doi"] for k in entry["cite"] if kinds[k] == "dataset" and "doi" in bib[k]]
            assert any(d.startswith("10.7910/DVN/") and f"https://doi.org/{d}" in flat for d in dois), entry["path"]
    assert sum("/igoR" in bib[k].get("howpublished", "") or "/democracyData" in bib[k].get("howpublished", "")
               for k in bib) == 2


def test_readme_refers_to_the_reports_sections_by_number_and_title():
    """Each "§N" the README writes (outside the table of exhibits that make generates) is followed by the
    title of the report's section N, so a section renumbered shows here ("§4.4" for the explorer and "§5" for
    the replication notes were stale; a title's `{{< var >}}` shortcodes are read as this build writes them);
    each `@fig-x` or `@tbl-x` it names is a label of the report; the README's recipes for adding things cite no
    figure or table of the report by its number."""
    from backlash.pipeline import report_numbers
    from backlash.render import _VAR, lookup

    variables = yaml.safe_load(paths.PAPER_VARIABLES.read_text(encoding="utf-8"))
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index("<!-- exhibits: written by make"), readme.index("<!-- exhibits: end -->")
    readme = " ".join((readme[:start] + readme[end:]).split())
    titles = {report_numbers(qmd)[label]: _VAR.sub(lambda m: str(lookup(variables, m.group(1))), title)
              for title, label in re.findall(r"^#{1,2} (.+?) \{#(sec-[\w-]+)\}", qmd, re.M)}
    cited = re.findall(r"§(\d+(?:\.\d+)?)(?:, \"([^\"]+)\")?", readme)
    assert len(cited) >= 5
    for number, title in cited:
        assert title, f"§{number} in the README is not followed by its title (§{number}, \"...\")"
        assert titles.get(f"§{number}", "").startswith(title), (number, title, titles.get(f"§{number}"))
    labels = set(re.findall(r"\{#((?:fig|tbl)-[\w-]+)", qmd))
    named = set(re.findall(r"@((?:fig|tbl)-[\w-]+)", readme)) - {"tbl-new"}  # but the recipe's new exhibit
    assert named and named <= labels, named - labels
    adding = readme[readme.index("## Adding an exhibit"):readme.index("## Description of the code")]
    numbered = [m for m in re.finditer(r"\b(?:Figure|Table)s? \d", adding) if adding[m.start() - 9:m.start()] != 'article="']
    assert not numbered, [adding[m.start() - 30:m.end() + 20] for m in numbered]


def test_no_figure_refers_to_a_figure_by_number():
    """No figure's own text names a figure by number: a figure has its own number in the report, so a panel
    titled "Figure 3 parameters" (the phase diagram's, meaning the article's Figure 3) reads as a reference
    to the report's Figure 3. The text of every figure PDF is read with pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils; .ci/run installs it)")
    pdfs = sorted(paths.FIGURES.glob("*.pdf"))
    assert len(pdfs) >= 7
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert text.strip() and not re.search(r"\b(?:Fig\.|Figures?|Tables?) ?\d", text), (pdf.name, text)


def test_figures_name_rules_by_label_and_code_name():
    """Figures that have a row or panel per withdrawal rule name it as the tables do, by its number, its
    readable label and its code name in parentheses (`withdrawal.rule_title`), not by the code name alone (the
    decomposition figure's axis read `6 no_imputed`)."""
    from backlash.withdrawal import RULES, rule_title

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils; .ci/run installs it)")
    for name in ("decomposition", "figure1_rules"):
        text = subprocess.run(["pdftotext", str(paths.figure(name, "pdf")), "-"], capture_output=True, text=True,
                              check=True).stdout
        text = " ".join(text.split())
        for rule in RULES:  # pdftotext may read a two-line title's lines apart
            first, second = rule_title(rule).split("\n")
            assert first in text and second in text, (name, rule)


def test_measures_and_explorer_are_described_from_their_declarations(html_text):
    """The report explains each democracy measure's default cut-off with the reason its declaration gives
    (`Measure.reason`, unused before), and the explorer's section (in the report and the README) names the
    sliders and address keys that `model.PARAMETERS` declares, not a list typed by hand. (Read in the HTML: in
    the PDF a figure placed at the top of a page may fall inside the sentence, as pdftotext reads it.)"""
    import html

    from backlash.democracy import MEASURES
    from backlash.explorer import explorer_parameters
    from backlash.model import CALIBRATIONS

    text = html.unescape(html_text).replace("’", "'").replace("\u2060", "")  # typographic apostrophes, joiners
    for m in MEASURES.values():
        assert " ".join(f"for {m.name} ({m.rule()}), {m.reason}".split()) in " ".join(text.split()), m.key
    sliders = explorer_parameters()
    variables = yaml.safe_load(paths.PAPER_VARIABLES.read_text(encoding="utf-8"))["model"]
    assert re.findall(r"`(\w+)`", variables["explorer_keys"]) == [s["key"] for s in sliders]
    assert re.findall(r"\$([^$]+)\$", variables["explorer_sliders"]) == [s["symbol"] for s in sliders]
    assert re.findall(r"`(\w+)`", variables["calibrations"]) == list(CALIBRATIONS)
    readme = " ".join((paths.ROOT / "README.md").read_text(encoding="utf-8").split())
    listed = re.search(r"as you move sliders for (.+?) \(each", readme).group(1)
    assert re.split(r", | and ", listed) == [s["text"] for s in sliders]
    address = re.search(r"paper\.html#(\S+?)`", readme).group(1)
    assert [kv.split("=")[0] for kv in address.split("&")] == [*(s["key"] for s in sliders), "calibration"]


def test_rules_leaving_out_unobserved_years_are_named_from_the_rules():
    """The appendix names the rules that leave out withdrawals in imputed years and the 1965 seam from their
    declarations ("every rule from no_imputed on" would be false of a rule added after it that keeps them)."""
    from backlash.report import unobserved_rules
    from backlash.withdrawal import BASIC_FLAGS, RULES, Rule

    both = ("imputed IGO-years", "seam year")
    assert unobserved_rules(all_of=both) == [k for k in RULES if {"imputed", "seam_1965"} <= set(RULES[k].exclude)]
    assert unobserved_rules(all_of=both)[0] == "no_imputed"
    seam_only = Rule("no_seam_only", "only the 1965 seam dropped", "basic, and t is not 1965", require=BASIC_FLAGS,
                     exclude=("seam_1965",))
    rules = {**RULES, seam_only.name: seam_only}
    assert "no_seam_only" not in unobserved_rules(rules, all_of=both) and "no_seam_only" in unobserved_rules(rules)
    words = yaml.safe_load(paths.PAPER_VARIABLES.read_text(encoding="utf-8"))["data"]["rules_leaving_unobserved"]
    assert re.findall(r"`(\w+)`", words) == unobserved_rules(all_of=both)


def test_figure1_legends_cover_no_yearly_point():
    """Neither panel's legend of Figure 1 sits over a yearly value (panel (b)'s, fixed at the upper right, covered
    the economic IGOs' points of the late 1990s)."""
    import matplotlib

    matplotlib.use("Agg")
    from backlash import plots
    from backlash.exhibits.empirics import SMOOTHING_YEARS

    series = pd.read_csv(paths.FIGURE1_SERIES)
    for columns in ({"rate_dem": "dem", "rate_nondem": "nondem"},
                    {"rate_economic": "economic", "rate_political": "political", "rate_social": "social"}):
        fig, ax = plots.new_figure(1, 2, height=3.5)
        ax = ax[1]
        plots.plot_rate_series(ax, series, columns, "rate", smooth=SMOOTHING_YEARS)
        fig.canvas.draw()
        box = ax.get_legend().get_window_extent()
        for line in ax.get_lines():
            if line.get_linestyle() == "None" or line.get_linewidth() == 0:  # the yearly points
                xy = ax.transData.transform(line.get_xydata())
                assert not any(box.contains(x, y) for x, y in xy), columns
        plots.plt.close(fig)


def test_no_self_reference_in_the_report():
    """The report's own figures and tables are cited by label (@fig-x gives "Figure 2"); every figure or
    table number written out is the article's and says so ("the article's Figure 2", "its Figure 3"),
    so nothing reads "Figure 2 draws Figure 2"."""
    text = paths.PAPER_QMD.read_text(encoding="utf-8")
    generated = " ".join(str(v) for v in _leaves(yaml.safe_load(paths.PAPER_VARIABLES.read_text(encoding="utf-8"))))
    for source in (text, generated):
        for m in re.finditer(r"\b(?:Figure|Table)s? ?\d", source):
            before = source[max(0, m.start() - 16):m.start()]
            assert re.search(r"(article's|paper's|its) $", before), source[max(0, m.start() - 60):m.end() + 20]


def _leaves(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    else:
        yield node


def test_fallback_imitates_quartos_typst_bibliography(tmp_path):
    """Without `citeproc: true`, Quarto's Typst output (and so the fallback) leaves citations to Typst,
    which puts its own "Bibliography" after the document's "References" heading and prints a .bib's
    `and others` as is and a title's "?" followed by a period: the faults issue 20 saw with Quarto
    1.10.18. With `citeproc: true`, the report's setting, there is one heading, "et al." and one mark."""
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n")
    (tmp_path / "_variables.yml").write_text("x: 1\n")
    (tmp_path / "refs.bib").write_text("@misc{v,\n  author = {Coppedge, Michael and Gerring, John and others},\n"
                                       "  title = {Why Do States Leave?},\n  year = {2025}\n}\n")
    doc = "---\nbibliography: refs.bib\nformat:\n  typst: {bibliographystyle: chicago-author-date%s}\n  html: " \
          "{format-links: false}\n---\n\nAs in [@v].\n\n# References {.unnumbered}\n\n::: {#refs}\n:::\n"
    for citeproc, expected in (("", ["References", "Bibliography"]), (", citeproc: true", ["References"])):
        qmd = tmp_path / "doc.qmd"
        qmd.write_text(doc % citeproc)
        render_paper(qmd, force_fallback=True)
        assert headings(tmp_path / "doc.pdf") == expected
        entry = reference_list(re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(tmp_path / "doc.pdf").pages)))
        assert ("Gerring, and others. 2025" in entry) == (not citeproc), entry
        assert ("Gerring, et al. 2025" in entry) == bool(citeproc) and bool(DOUBLED.search(entry)) == (not citeproc)


def test_report_names_the_renderer_that_made_it(rendered, pdf_text, html_text):
    """The environment section names the renderer of this copy, as the renderer set it (the fallback here:
    pandoc's and Typst's versions), in both outputs; a render with Quarto names Quarto (tests/test_extension.py)."""
    name = renderer_name(None)
    assert "fallback" in name and "pandoc" in name and "Typst" in name
    assert f"This copy was rendered by {name}." in pdf_text
    assert f"This copy was rendered by {name}." in html_text


def test_report_states_package_version_and_commit(pdf_text):
    """The computational-environment section names the package version and the git commit (or says
    the tree had uncommitted changes), read at build time."""
    env = __import__("yaml").safe_load(paths.PAPER_VARIABLES.read_text())["env"]
    assert f"backlash {env['package_version']}" in pdf_text
    assert env["commit"] in pdf_text


def test_html_is_self_contained(rendered):
    """The HTML loads nothing from outside and links to no file beside it (no "Other Formats" link to
    the PDF): images embedded as PNG, math as MathML, scripts and styles inline."""
    html = (rendered / "paper.html").read_text()
    assert external_references(html) == []
    assert "Other Formats" not in html and 'href="paper.pdf"' not in html
    assert "<math" in html and "data:image/png;base64" in html
    for label in ("fig-withdrawals", "fig-thresholds", "fig-realignment", "tbl-prop3", "tbl-sensitivity"):
        assert f'id="{label}"' in html
    assert "Figure 1:" in html and "Table 4:" in html


def test_missing_variable_fails_naming_it(tmp_path):
    """A variable the pipeline did not write stops the build with a message that names it."""
    qmd = _copy_project(tmp_path)
    qmd.write_text(qmd.read_text() + "\nThe answer is {{< var data.no_such_number >}}.\n")
    with pytest.raises(RenderError, match="data.no_such_number"):
        render_paper(qmd, force_fallback=True)
    assert not (qmd.parent / "paper.pdf").exists()


def test_variables_are_read_only_from_the_project_root(tmp_path):
    """As in Quarto, `_variables.yml` beside the document is ignored: only the project's counts."""
    qmd = _copy_project(tmp_path)
    (tmp_path / "_variables.yml").rename(qmd.parent / "_variables.yml")
    with pytest.raises(RenderError, match="reads variables only from the project directory"):
        render_paper(qmd, force_fallback=True)


def test_project_is_the_folder_holding_quarto_yml(tmp_path):
    """The project directory is the nearest ancestor with _quarto.yml; options merge from it, from
    paper/_metadata.yml and from the front matter, with per-format values winning."""
    qmd = _copy_project(tmp_path)
    assert find_project(qmd) == tmp_path.resolve()
    options = document_options(qmd)
    typst, html = format_options(options, "typst"), format_options(options, "html")
    assert typst["papersize"] == "a4" and typst["citeproc"] is True and typst["default-image-extension"] == "pdf"
    assert html["toc"] is True and html["css"] == str((qmd.parent / "style.css").resolve())
    assert html["default-image-extension"] == "png" and html["format-links"] is False
    assert options["quarto-required"] == yaml.safe_load(paths.QUARTO_PROJECT.read_text())["quarto-required"]
    assert typst["bibliography"] == str((qmd.parent / "references.bib").resolve())
    assert typst["filters"] == html["filters"] == [{"path": str((qmd.parent / "unbroken.lua").resolve()),
                                                    "at": "post-quarto"}]
    assert options["title"] == "Replication report"


def test_lua_filters_run_where_quarto_runs_them_and_lie_in_the_project(tmp_path):
    """The ``filters`` the paper's options list run where Quarto would run them: a bare path (Quarto's default,
    ``pre-quarto``) before the cross-references, an entry ``at: post-quarto`` (the report's range filter, which
    must see the text the ``{{< var >}}`` shortcodes bring, expanded by Quarto's own filters) after them; an
    unknown stage, Quarto's own entries and non-Lua filters are refused, and a filter outside the project stops
    the build, as any other input does."""
    opts = format_options(document_options(_copy_project(tmp_path / "copy")), "typst")
    ours = opts["filters"][0]["path"]
    args = pandoc_args(opts, "typst")
    assert args.index(str(CROSSREF_FILTER)) < args.index(ours)
    early = pandoc_args({**opts, "filters": [ours]}, "typst")
    assert early.index(ours) < early.index(str(CROSSREF_FILTER))
    with pytest.raises(RenderError, match="at one of pre-ast"):
        pandoc_args({**opts, "filters": [{"path": ours, "at": "later"}]}, "typst")
    for other in ("quarto", "citeproc", {"type": "json", "path": "f.py"}, "f.py"):  # not run as Quarto would
        with pytest.raises(RenderError, match="runs Lua filters .* only"):
            pandoc_args({**opts, "filters": [other]}, "typst")
    qmd = _small_paper(tmp_path / "project")
    (tmp_path / "outside.lua").write_text("return {}\n", encoding="utf-8")
    meta = qmd.parent / "_metadata.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("path: unbroken.lua", "path: ../../outside.lua"),
                    encoding="utf-8")
    with pytest.raises(RenderError, match="filters file .*outside.lua lies outside the Quarto project"):
        render_paper(qmd, force_fallback=True)


def test_input_outside_the_project_root_fails(tmp_path):
    """A figure outside the Quarto project stops the build with a clear message (Quarto's Typst
    could not read it), and Typst with its root at the project refuses it too."""
    qmd = _copy_project(tmp_path / "project")
    outside = tmp_path / "x.png"
    shutil.copy2(paths.figure("figure2", "png"), outside)
    _add(qmd, "![Outside](../../x.png){#fig-outside}")
    with pytest.raises(RenderError, match="outside the Quarto project directory"):
        render_paper(qmd, force_fallback=True)
    typ = qmd.parent / "outside.typ"
    typ.write_text('#image("../../x.png")\n')
    with pytest.raises(RenderError, match="escape the project root"):
        _compile_typst(typ, tmp_path / "out.pdf", tmp_path / "project")


def test_include_outside_the_project_root_fails(tmp_path):
    qmd = _copy_project(tmp_path / "project")
    (tmp_path / "t.md").write_text("Some text.\n")
    _add(qmd, "{{< include ../../t.md >}}")
    with pytest.raises(RenderError, match="included file .* outside the Quarto project"):
        render_paper(qmd, force_fallback=True)


@pytest.mark.parametrize("addition, message", [
    ("See @fig-nonexistent.", "unresolved cross-reference @fig-nonexistent"),
    ("{{< include generated/missing.md >}}", "included file"),
    ("![A figure](../figures/missing.png){#fig-missing}", "missing figure"),
    ("![A figure](../figures/missing){#fig-missing}", "../figures/missing.pdf, ../figures/missing.png"),
    ("As argued by [@nobody2099].", "nobody2099"),
    ("{{< pagebreak >}}", "shortcode"),
    ("![Again](../figures/figure2.png){#fig-thresholds}", "defined twice"),
])
def test_broken_paper_fails_clearly(tmp_path, addition, message):
    """Unresolved references, missing includes or figures, unknown citations, stray shortcodes and
    duplicate labels fail the build (in a short document with the report's options, a figure labelled
    as Figure 2 is in the report, a citation and its bibliography: the renderer's checks are the same
    for any document, and this one renders in a fraction of the report's time)."""
    qmd = _small_paper(tmp_path)
    render_paper(qmd, force_fallback=True)  # (it renders as it is)
    _add(qmd, addition)
    with pytest.raises(RenderError, match=re.escape(message)):
        render_paper(qmd, force_fallback=True)


TINY_PAPER = """---
title: "A small report"
format:
  typst:
    output-file: paper.pdf
  html:
    output-file: paper.html
    embed-resources: true
    format-links: false
    css: style.css
---

# One {#sec-one}

See @sec-one: Æ, ø, γ.
"""


def _tiny_project(root: Path) -> Path:
    """A Quarto project of one short document (``paper/paper.qmd``, no figures); returns ``root``."""
    (root / "paper").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    (root / "_variables.yml").write_text("{}\n", encoding="utf-8")
    (root / "paper/paper.qmd").write_text(TINY_PAPER, encoding="utf-8")
    (root / "paper/style.css").write_text("h1 { color: #333; }\n", encoding="utf-8")  # a file pandoc embeds
    return root


def _small_paper(root: Path) -> Path:
    """A Quarto project with the report's options (``paper/_metadata.yml``) and a short document that has
    a numbered section, one figure (``#fig-thresholds``, as in the report), a citation and a reference
    list; returns its ``paper.qmd``."""
    _tiny_project(root)
    for name in ("_metadata.yml", "references.bib", "style.css", "unbroken.lua"):
        shutil.copy2(paths.PAPER / name, root / "paper" / name)
    (root / "figures").mkdir()
    for fmt in ("pdf", "png"):
        shutil.copy2(paths.figure("figure2", fmt), root / "figures")
    qmd = root / "paper/paper.qmd"
    qmd.write_text('---\ntitle: "A small report"\n---\n\n# One {#sec-one}\n\nAs @sec-one shows '
                   "[@pevehouse2020].\n\n![Exit thresholds](../figures/figure2){#fig-thresholds}\n\n"
                   "# References {.unnumbered}\n\n::: {#refs}\n:::\n", encoding="utf-8")
    return qmd


def _backlash_paper(root: Path, **env: str) -> subprocess.Popen:
    """Start `backlash paper --fallback` on the project ``root``."""
    library = str(Path(render_paper.__code__.co_filename).parents[1])  # the src/ of the library under test
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUTF8"} | {"BACKLASH_ROOT": str(root),
                                                                         "PYTHONPATH": library} | env
    return subprocess.Popen([sys.executable, "-m", "backlash.cli", "paper", "--fallback"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")


def test_a_project_path_beyond_ascii_renders_under_the_c_locale(tmp_path):
    """In a folder named with letters beyond ASCII, under `LC_ALL=C` (an ASCII locale; Python not in
    UTF-8 mode), `backlash paper` renders both outputs, with the document's own non-ASCII text intact:
    pandoc gets paths relative to the document and a UTF-8 locale, and every file is read as UTF-8."""
    root = _tiny_project(tmp_path / "prøjekt Ærø")
    proc = _backlash_paper(root, LC_ALL="C", LANG="C")
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert "Traceback" not in out and "backtrace" not in out
    html = (root / "paper/paper.html").read_text(encoding="utf-8")
    assert "Æ, ø, γ" in html and "#333" in html
    assert (root / "paper/paper.pdf").stat().st_size > 1000


def test_two_renders_at_once_take_turns(tmp_path):
    """Two `backlash paper` in one project at once (two `make all` started together): the second waits
    for the first and says so, and both succeed, where it used to delete the first one's scratch files.
    (pandoc is slowed down, so that the two renders overlap for sure.)"""
    root = _tiny_project(tmp_path / "project")
    slow = _slow_pandoc(tmp_path / "bin")
    first = _backlash_paper(root, PYPANDOC_PANDOC=str(slow))
    deadline = time.monotonic() + 60
    while not list((root / "paper").glob(".render-*")) and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.002)
    second = _backlash_paper(root, PYPANDOC_PANDOC=str(slow))
    outs = [p.communicate(timeout=120)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outs
    assert "another render of this project is running" in outs[1] and "waiting" in outs[1], outs[1]
    assert sorted(p.name for p in (root / "paper").iterdir()) == ["paper.html", "paper.pdf", "paper.qmd", "style.css"]


def test_sigterm_during_a_render_removes_its_scratch_files_at_once(tmp_path):
    """SIGTERM (what a CI time-out sends) while `backlash paper` renders: it stops with status 130, says
    so in one line, leaves none of its scratch files (`.render-*`, `.paper.*`) and the previous outputs
    as they were. (pandoc is slowed down so that the signal lands during the render.)"""
    root = _tiny_project(tmp_path / "project")
    for name in ("paper.pdf", "paper.html"):
        (root / "paper" / name).write_text("the previous output\n", encoding="utf-8")
    slow = _slow_pandoc(tmp_path / "bin")
    proc = _backlash_paper(root, PYPANDOC_PANDOC=str(slow))
    deadline = time.monotonic() + 60
    while not list((root / "paper").glob(".render-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.002)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert out.strip().splitlines() == ["backlash: interrupted; nothing half-written was left in place"], out
    assert sorted(p.name for p in (root / "paper").iterdir()) == ["paper.html", "paper.pdf", "paper.qmd", "style.css"]
    assert (root / "paper/paper.pdf").read_text(encoding="utf-8") == "the previous output\n"


def _slow_pandoc(bindir: Path) -> Path:
    """A `pandoc` that waits 0.3 s before each conversion (so that another process can act meanwhile)."""
    bindir.mkdir(parents=True, exist_ok=True)
    slow = bindir / "pandoc"
    slow.write_text(f'#!/bin/sh\ncase "$*" in *" -o "*) sleep 0.3;; esac\nexec {_pandoc_path()} "$@"\n', encoding="utf-8")
    slow.chmod(0o755)
    return slow


def _pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _crossref(markdown: str, to: str, tmp_path: Path) -> str:
    return _run_pandoc(["--from", "markdown", "--lua-filter", str(CROSSREF_FILTER), "--number-sections",
                        "--to", to], cwd=tmp_path, stdin=markdown)


def test_crossrefs_are_numbered_on_the_document_tree(tmp_path):
    """Figures, tables, equations and sections are numbered in order; references resolve to links;
    Markdown that a text search would misread (brackets in captions, labels in code) is left alone."""
    text = textwrap.dedent("""\
        # A {#sec-a}

        ![x with [brackets] and `@fig-a`](a.png){#fig-b width=50%}

        ![y](b.png){#fig-a}

        ## Sub {#sec-sub}

        | u |
        |---|
        | 1 |

        : A table {#tbl-t}

        $$ x $$ {#eq-one}

        See @fig-a, @fig-b, @sec-sub, @tbl-t, @eq-one, [@fig-a; @fig-b] and -@fig-a. Not `@fig-zzz`.

        ```
        @fig-zzz {#fig-q}
        ```
        """)
    html = _crossref(text, "html5", tmp_path)
    assert ">Figure\u00a02</a>" in html and ">Figure\u00a01</a>" in html and ">Section\u00a01.1</a>" in html
    assert ">Table\u00a01</a>" in html and ">Equation\u00a01</a>" in html and 'href="#fig-a">2</a>' in html
    assert "(1)" in html and "Equation\u00a0(1)" not in html  # the equation carries (1); references say "Equation 1"
    assert "Figure 1: x with [brackets]" in html and "Table 1: A table" in html and "@fig-zzz" in html
    typst = _crossref(text, "typst", tmp_path)
    assert 'numbering: "(1)"' in typst and "<eq-one>" in typst and "#link(<fig-a>)" in typst
    assert "Figure 1:" not in typst  # Typst numbers captions itself


def test_shortcodes_expand_from_nested_variables(tmp_path):
    (tmp_path / "t.md").write_text("| a |\n|---|\n| {{< var x.y >}} |\n")
    out = expand_shortcodes("Value {{< var x.y >}}.\n\n{{< include t.md >}}\n", {"x": {"y": "42"}}, tmp_path)
    assert out.startswith("Value 42.") and "| 42 |" in out


def test_meta_shortcodes_read_the_metadata_and_refuse_an_unknown_key(tmp_path):
    """`{{< meta key >}}` reads the document's metadata (with what the renderer sets), also in an included file;
    an unknown key stops the render naming it (Quarto only warns, and prints ?meta:key)."""
    (tmp_path / "t.md").write_text("By {{< meta renderer >}}.\n")
    out = expand_shortcodes("{{< meta title >}}\n\n{{< include t.md >}}\n", {}, tmp_path,
                            metadata={"title": "A report", "renderer": "Quarto 1.10.18"})
    assert out == "A report\n\nBy Quarto 1.10.18.\n"
    with pytest.raises(RenderError, match="unknown metadata key 'author' in a {{< meta >}} shortcode"):
        expand_shortcodes("{{< meta author >}}", {}, tmp_path, metadata={"title": "A report"})


def test_no_number_is_typed_into_the_prose():
    """Outside shortcodes, math, code, citations and labels, the paper's source has no decimal number
    and no integer of three or more digits except years, the Python and Make versions it needs, the licence's
    name and character references (``&#8288;``, the word joiner)."""
    text = paths.PAPER_QMD.read_text()
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\{\{<.*?>\}\}", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"@[a-z0-9_-]+|\{#[a-z0-9-]+\}", " ", text)
    # names: the Python and Make releases the build needs (as README states), a licence; character references
    text = re.sub(r"Python ≥ 3\.11|GNU Make ≥ 4\.3|CC BY 4\.0|&#\d+;", " ", text)
    numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text)
    suspicious = [x for x in numbers if "." in x or (len(x) >= 3 and not 1800 <= int(x) <= 2100)]
    assert suspicious == []


def test_quarto_leftovers_are_ignored_by_git():
    """What Quarto writes besides the outputs (/.quarto/, paper/.gitignore, *_files/) and the generated
    variables file never show up in `git status`."""
    if not (paths.ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    leftovers = [".quarto/xref/INDEX", "paper/.gitignore", "paper/paper_files/libs/x.js", "_variables.yml",
                 "paper/.quarto/idx/paper.qmd.json", "paper/paper.typ"]
    res = subprocess.run(["git", "check-ignore", "--no-index", *leftovers], cwd=paths.ROOT, capture_output=True,
                         text=True)
    assert sorted(res.stdout.split()) == sorted(leftovers)


# --------------------------------------------------------------------------- Quarto, faked
@pytest.fixture
def fake_quarto(tmp_path, monkeypatch) -> Path:
    """A `quarto` executable on PATH (tests/_fake_quarto.py) that writes placeholder outputs and records
    its arguments and working directory."""
    install_fake_quarto(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_QUARTO_LOG", str(tmp_path / "quarto.log"))
    monkeypatch.setenv("FAKE_QUARTO_OUTPUT", "stub")
    return tmp_path / "quarto.log"


def test_quarto_runs_from_the_project_root(tmp_path, fake_quarto):
    """With quarto on PATH, `quarto render paper/paper.qmd` runs in the project directory."""
    qmd = _copy_project(tmp_path / "project")
    assert render_paper(qmd) == "quarto 1.10.18"
    args, cwd = fake_quarto.read_text().split("\n")
    assert args == "['render', 'paper/paper.qmd', '-M', 'renderer:Quarto 1.10.18']"
    assert Path(cwd) == (tmp_path / "project").resolve()


@pytest.mark.parametrize("env, message", [
    ({"FAKE_QUARTO_SAYS": "WARNING (quarto-filters): ?var:data.missing not found"}, "WARNING"),
    ({"FAKE_QUARTO_HTML": "there were ?var:data.n_igos_1945 IGOs"}, "?var:data.n_igos_1945"),
    ({"FAKE_QUARTO_HTML": "rendered by ?meta:renderer"}, "unresolved shortcode (?meta:renderer)"),
    ({"FAKE_QUARTO_EXIT": "1", "FAKE_QUARTO_SAYS": "ERROR: Typst compilation failed"}, "Typst compilation failed"),
    ({"FAKE_QUARTO_HTML": '<a href="paper.pdf">PDF</a>'}, 'href="paper.pdf"> links to a file'),
    ({"FAKE_QUARTO_VERSION": "1.9.27"}, "known to build with Quarto >=1.10.18"),
])
def test_quarto_warnings_fail_the_build_and_keep_old_outputs(tmp_path, fake_quarto, monkeypatch, env, message):
    """Quarto only warns about an unknown variable; any WARNING or ?var: in its output, a failure, an HTML
    that links to a file beside it, or a Quarto outside `quarto-required` stops the build, and the previous
    outputs are put back."""
    qmd = _copy_project(tmp_path / "project")
    (qmd.parent / "paper.pdf").write_bytes(b"old pdf")
    (qmd.parent / "paper.html").write_text("old html")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(RenderError, match=re.escape(message)):
        render_paper(qmd)
    assert (qmd.parent / "paper.pdf").read_bytes() == b"old pdf"
    assert (qmd.parent / "paper.html").read_text() == "old html"


def test_quarto_version_is_pinned_and_the_readme_names_it():
    """`quarto-required` admits 1.10.18, the release the project is known to build with, and the README says so
    (not that this build's report was made with it: without Quarto the fallback makes it);
    the range is read as Quarto reads it (comparators joined by spaces, alternatives by ||)."""
    required = yaml.safe_load(paths.QUARTO_PROJECT.read_text())["quarto-required"]
    assert version_satisfies("1.10.18", required) and not version_satisfies("1.9.27", required)
    assert not version_satisfies("1.11.0", required)
    readme = " ".join((paths.ROOT / "README.md").read_text().split())
    assert "known to build with Quarto 1.10.18" in readme and "last built with" not in readme
    assert version_satisfies("1.10", "=1.10") and version_satisfies("2.0.1", "<1.5 || >=2")
    with pytest.raises(RenderError, match="not a version range"):
        version_satisfies("1.10.18", "about 1.10")


def test_committed_gitignore_holds_what_quarto_adds(tmp_path):
    """Quarto rewrites the project's .gitignore on every render unless it holds `/.quarto/` and
    `**/*.quarto_ipynb`; the committed file holds both, so a render leaves `git status` clean. (The fake
    quarto does what Quarto does: on a file without them it appends them.)"""
    gitignore = (paths.ROOT / ".gitignore").read_text()
    assert set(GITIGNORE_ENTRIES) <= {line.strip() for line in gitignore.splitlines()}
    (tmp_path / ".gitignore").write_text(gitignore)
    assert not ensure_gitignore(tmp_path) and (tmp_path / ".gitignore").read_text() == gitignore
    (tmp_path / ".gitignore").write_text("/.quarto/\n")
    assert ensure_gitignore(tmp_path)
    assert (tmp_path / ".gitignore").read_text() == "/.quarto/\n\n**/*.quarto_ipynb\n"


def test_external_references_flag_what_leaves_the_file():
    """What matters for an HTML shared alone is that no request leaves it: Quarto's own `data:` URIs pass,
    and so do in-page anchors, links to the web (DOIs) and the text of scripts; a file or URL loaded by
    src, srcset, <link href>, SVG href or CSS url()/@import, and a link to a file beside it, do not."""
    fine = quarto_html("<html><head><style>p { background: url(data:image/png;base64,AA==) }</style></head>"
                       '<body><a href="#sec-x">x</a> <a href="https://doi.org/10.1/x">doi</a>'
                       '<img src="data:image/png;base64,AA=="><svg><use href="#g"/></svg>'
                       '<script>const a = \'<a href="other.html">\'; fetch("x.json");</script></body></html>')
    assert 'src="data:application/javascript;base64,' in fine and external_references(fine) == []
    bad = ['<script src="https://cdn.example/x.js"></script>', '<link rel="stylesheet" href="style.css">',
           '<img srcset="a.png 1x, data:image/png;base64,AA== 2x">', '<a href="paper.pdf">PDF</a>',
           "<style>@import 'x.css'; body { background: url(bg.png) }</style>", '<div style="background: url(b.png)">',
           '<svg><image href="pic.png"/></svg>', '<iframe src="page.html"></iframe>']
    for html in bad:
        assert external_references(html), html
    assert len(external_references(bad[4])) == 2


# --------------------------------------------------------------------------- figures
def test_figure_labels_are_typeset_as_mathematics():
    """Every text in every figure writes its symbols as mathtext ($\\gamma_L$, $D^*_w$, ...), never
    as raw γ_L or D*_w, in a serif face."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from backlash import data, plots
    from backlash.exhibits import model as model_exhibits

    plots.apply_style()
    assert plt.rcParams["mathtext.fontset"] == "stix" and "serif" in plt.rcParams["font.family"]
    figures = []
    fig, ax = plt.subplots()
    plots.plot_thresholds(ax, pd.read_csv(paths.FIGURE2_SERIES))
    figures.append(fig)
    fig, ax = plt.subplots()
    plots.plot_reputation(ax, pd.read_csv(paths.REPUTATION_SERIES))
    figures.append(fig)
    fig, ax = plt.subplots()
    f3 = pd.read_csv(paths.FIGURE3_SERIES)
    plots.plot_vote_differences(ax, f3[f3["calibration"] == "equations"], model_exhibits.REGIME_NAMES)
    figures.append(fig)
    texts = []
    for fig in figures:
        for t in fig.findobj(matplotlib.text.Text):
            texts.append(t.get_text())
        plt.close(fig)
    joined = " ".join(re.sub(r"\$[^$]*\$", " ", t) for t in texts)
    assert "$\\gamma_L$" in " ".join(texts) and "$D^*_w$" in " ".join(texts)
    assert not RAW_SYMBOL.search(joined) and not re.search(r"[γθαλΨ]", joined), joined


def test_every_generated_variable_is_used():
    """_variables.yml holds no number or sentence that the report does not print (no dead computations),
    and the report uses no variable that is not generated."""
    import yaml

    def keys(d, prefix=""):
        for k, x in d.items():
            yield from keys(x, f"{prefix}{k}.") if isinstance(x, dict) else [f"{prefix}{k}"]

    generated = set(keys(yaml.safe_load(paths.PAPER_VARIABLES.read_text(encoding="utf-8"))))
    used = set(re.findall(r"\{\{<\s*var\s+([A-Za-z0-9_.\-]+)\s*>\}\}", paths.PAPER_QMD.read_text(encoding="utf-8")))
    assert sorted(generated - used) == []
    assert sorted(used - generated) == []


def test_citations_parse_and_ranges_take_en_dashes(pdf_text):
    """Every bracketed citation is parsed by citeproc (no literal "[SWIID ...]" left in the PDF), and a range of
    years or numbers is written with an en dash, never a hyphen ("1816-2014", "0-6"), in the prose, the tables and
    the data sources' paragraphs (which come from data/sources.toml); ISO dates (2026-11-30) and DOIs keep theirs."""
    assert "[SWIID" not in pdf_text and "[@" not in pdf_text
    prose = re.sub(r"\b\d{4}-\d{2}-\d{2}\b|\b10\.\d{4,}/\S+|https?://\S+", " ", pdf_text)
    ranges = re.findall(r"(?<![\w./-])\d+-\d+(?![\w-])", prose)  # a DOI broken across lines keeps its hyphens
    assert not ranges, ranges
    assert re.search(r"\d–\d", pdf_text)  # the ranges are there, with their en dashes


def test_weakness_verdict_describes_a_co_occurrence():
    """Where only H exits, how often he is the likelier loser is a co-occurrence in sampled points, not a cause:
    the verdict says "as a rule, with exceptions" (or "without exception", or "does not hold") from the counts,
    and never that H exits *from* or *because of* weakness (it said "H exits from electoral weakness as a
    rule")."""
    from backlash import report

    def verdict(eq, rep):
        w = {name: {"n_points": 100, "n_only_h": 40, "n_l_favoured": k, "share_l_favoured": k / 40, "min_pi": 0.4}
             for name, k in (("equations", eq), ("reported", rep))}
        return report.weakness_variables(w)["weak_verdict"]

    assert "holds without exception" in verdict(40, 40)
    assert "holds as a rule, with exceptions" in verdict(39, 38)
    assert "does not hold" in verdict(39, 20)
    for text in (verdict(40, 40), verdict(39, 38), verdict(39, 20)):
        assert "go together, not that H exits because he is behind" in text
        assert "exits from electoral weakness" not in text
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    assert "exits from electoral weakness as a rule" not in qmd


def test_every_row_of_the_decomposition_table_names_its_rule_or_measure():
    """Table 5 runs over a page, and a page that opened with a row of a rule's block printed no label, so the
    row read as the next rule's ("1945–2014 1.27 ..." under `no_reentry_1y`, above rule 5): every row names its
    rule or measure, in the Markdown and on the first table line of every page of the PDF."""
    md = (paths.PAPER_GENERATED / "tbl-decomposition.md").read_text(encoding="utf-8").splitlines()[2:]
    assert len(md) > 20 and all(row.split("|")[1].strip() for row in md)
    labels = {row.split("|")[1].strip().replace("`", "") for row in md}
    pages, cell = _page_lines(paths.PAPER / "paper.pdf")
    checked = 0
    for lines in pages:
        table = [ln for ln in lines if _is_table_line(ln, cell)]
        for line in table[:2]:  # the repeated header, then the first body row
            text = " ".join(w[4] for w in line)
            if re.search(r"\d{4}–\d{4} .*\(0\.\d{3}\)", text) and "per membership" not in text:
                checked += 1
                assert any(text.startswith(label) for label in labels), f"a row without its label: {text}"
    assert checked >= 1  # the table does run over a page


def test_measure_table_keeps_code_and_names_whole_and_has_no_repeated_column():
    """Table 6 broke "v2x_polyarchy >" from "0.5" and "Boix–Miller–" from "Rosato", and its columns "member-years
    scored" and "state-years" were the same in every row. The cut-off's spaces are non-breaking and the name's
    dashes carry word joiners; the one column left is the whole-period model's state-years, which are the
    member-years the measure scores (the regime panel has one row per COW member-year and the model keeps the
    scored ones): that they coincide is checked here, so the dropped column would come back if they did not."""
    import json

    from backlash.formats import NBSP, WORD_JOINER

    md = (paths.PAPER_GENERATED / "tbl-measures.md").read_text(encoding="utf-8")
    assert f"`v2x_polyarchy{NBSP}>{NBSP}0.5`" in md
    assert f"Boix–{WORD_JOINER}Miller–{WORD_JOINER}Rosato" in md
    assert "member" not in md.splitlines()[0]
    robustness = pd.read_csv(paths.MEASURE_ROBUSTNESS)
    coverage = json.loads(paths.DEMOCRACY_COVERAGE.read_text(encoding="utf-8"))
    whole = robustness[(robustness["exposure"] == "igos_in_force") & (robustness["period"] == "1945-2014")]
    assert len(whole) == 4
    for r in whole.itertuples():
        assert r.n_obs == coverage[r.measure]["member_years_with_score"], r.measure
    for line in _table_lines(paths.PAPER / "paper.pdf"):
        text = " ".join(w[4] for w in line)
        assert not text.endswith(("v2x_polyarchy >", "Boix–Miller–", "Boix–")), text


def test_no_range_of_numbers_breaks_at_its_dash(rendered, pdf_text, html_text):
    """"In 1971–" / "2014", "lies outside 1945–" / "2014": no line of the PDF ends in a number and an en dash
    (a range broken at its dash), in the text or a table. The ranges of _variables.yml and the generated tables
    carry a word joiner after the dash, as do the ranges typed between two variables in the report's source;
    the report's filter (paper/unbroken.lua) sets each such word in a box (PDF) or a span that does not wrap
    (HTML) and drops the joiner, so a reader who copies or searches for "1971–2014" finds it as typed: neither
    output holds a word joiner (where a font's en dash, once set before one, read as dash and joiner
    everywhere)."""
    from backlash.formats import WORD_JOINER, period_range, unbroken_ranges

    assert unbroken_ranges("in 1971–2014, Boix–Miller–Rosato, 0.97–\u20601.54, – and a – b") == (
        f"in 1971–{WORD_JOINER}2014, Boix–{WORD_JOINER}Miller–{WORD_JOINER}Rosato, 0.97–\u20601.54, – and a – b")
    assert period_range("1951-1970") == f"1951–{WORD_JOINER}1970"
    variables = paths.PAPER_VARIABLES.read_text(encoding="utf-8")
    assert f"1971–{WORD_JOINER}2014" in variables and "1971–2014" not in variables
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    assert ">}}–{{<" not in qmd and ">}}–&#8288;{{<" in qmd
    pages, _ = _page_lines(rendered / "paper.pdf")
    broken = [" ".join(w[4] for w in line[-3:]) for lines in pages for line in lines if re.search(r"\d–$", line[-1][4])]
    assert not broken, f"ranges broken at their dash: {broken}"
    for text in (pdf_text, html_text, (rendered / "paper.html").read_text(encoding="utf-8")):  # tags included
        assert WORD_JOINER not in text and "1971–2014" in text
    assert '<span class="nowrap">1971–2014' in (rendered / "paper.html").read_text(encoding="utf-8")


def test_the_range_filter_writes_each_format_its_own_way(tmp_path):
    """paper/unbroken.lua: a word holding a word joiner becomes a Typst box of a string literal (quotes and
    backslashes escaped, a semicolon ending it so that a following parenthesis stays text), an HTML span of
    class nowrap (styled in paper/style.css), and plain text elsewhere; a word without one is left alone; code
    and link targets keep their text without the joiner."""
    filt = paths.PAPER / "unbroken.lua"
    listed = yaml.safe_load((paths.PAPER / "_metadata.yml").read_text(encoding="utf-8"))["filters"]
    assert {"path": "unbroken.lua", "at": "post-quarto"} in listed  # after Quarto expands the shortcodes
    assert ".nowrap { white-space: nowrap; }" in (paths.PAPER / "style.css").read_text(encoding="utf-8")
    # Markdown's escapes give the words x\y–z and "q"–r (a backslash, straight quotes) to the filter
    source = ('In 1971–\u20602014 and x\\\\y–\u2060z \\"q\\"–\u2060r (0.97–\u20601.54) plain–dash, '
              '`code 1971–\u20602014` and [a link](https://example.org/a–\u2060b).\n')

    def convert(to: str) -> str:
        return _run_pandoc(["--from", "markdown", "--to", to, "--lua-filter", str(filt)], tmp_path, stdin=source)

    typst = convert("typst")
    assert '#box[#"1971–2014"];' in typst and '#box[#"(0.97–1.54)"];' in typst
    assert r'#box[#"x\\y–z"]; #box[#"\"q\"–r"];' in typst, typst
    (tmp_path / "e.typ").write_text(typst, encoding="utf-8")
    _compile_typst(tmp_path / "e.typ", tmp_path / "e.pdf", tmp_path)  # Typst reads it, and prints it as typed
    assert 'In 1971–2014 and x\\y–z "q"–r (0.97–1.54)' in report_pdf_text(tmp_path / "e.pdf")
    assert "plain--dash," in typst and "\u2060" not in typst  # left to pandoc, which writes its dash so
    html = convert("html")
    assert '<span class="nowrap">1971–2014</span>' in html and "\u2060" not in html
    assert "<code>code 1971–2014</code>" in html and 'href="https://example.org/a–b"' in html
    plain = convert("plain")
    assert "In 1971–2014 and" in plain and "\u2060" not in plain


def test_links_break_only_after_a_slash(rendered):
    """A DOI printed as "https://doi.org/10.1007/s11558-" / "019-09352-2" leaves the reader unsure whether the
    hyphen is the DOI's: the header sets every link's runs between slashes in unbreakable boxes, so a link that
    goes on to the next line ends its line with "/"."""
    header = paths.PAPER_QMD.read_text(encoding="utf-8").split("\n---", 1)[0]
    assert '#show link: it => { show regex("[^/]+"): seg => box(seg); it }' in header
    pages, _ = _page_lines(rendered / "paper.pdf")
    ends = [line[-1][4] for lines in pages for line in lines]
    links = [w for w in ends if re.match(r"https?://", w)]
    assert len(links) >= 3, links  # some links do run over a line
    assert all(w.endswith(("/", ".")) for w in links), [w for w in links if not w.endswith(("/", "."))]


def test_claims_of_the_paper_are_paraphrased_not_put_in_quotation_marks():
    """A sentence in quotation marks reads as the paper's own words, so the report and README quote the paper
    only for a term of a few words ("security") or a printed formula; its claims are paraphrased without
    quotation marks (review 5 found four paraphrases in quotation marks, two of them without the paper's
    "seem to"). Checked on the replication notes' bold headings and on every `the paper's "…"`."""
    texts = {"paper.qmd": paths.PAPER_QMD.read_text(encoding="utf-8"),
             "README.md": (paths.ROOT / "README.md").read_text(encoding="utf-8")}
    found = []
    for name, text in texts.items():
        text = re.sub(r"\s+", " ", text)
        quoted = re.findall(r'\*\*"([^"]*)"', text) + re.findall(r'(?:paper|article)\'s "([^"]*)"', text)
        found += [(name, q) for q in quoted if "$" not in q and len(q.split()) > 3 and q not in _VERBATIM]
    assert found == [], f"paraphrases in quotation marks, read as the paper's words: {found}"
    article = paths.ROOT.parent / "shared/reference/000_bc9f66a6efb80c52.txt"  # the article, where it is at hand
    if article.is_file():
        words = re.sub(r"\s+", " ", article.read_text(encoding="utf-8")).lower()
        assert [q for q in _VERBATIM if q.lower().rstrip(".") not in words] == []


#: The longer quotations of the article the report makes, word for word (first letter capitalised).
_VERBATIM = ("Without ideological costs, redistribution would be proportional to group size.",)


def test_no_page_but_the_last_is_left_half_blank(rendered):
    """As in a journal, a figure floats to the top of a page and the text fills the page around it
    (a table that fits on a page still moves whole, and a longer one breaks): no page but the last leaves more
    than half its text area blank below its last line. (With figures set where they are written, four pages
    were 32–55% blank and the report took one page more.)"""
    header = paths.PAPER_QMD.read_text(encoding="utf-8").split("\n---", 1)[0]
    assert "#set figure(placement: top)" in header
    pages, _ = _page_lines(rendered / "paper.pdf")
    height, margin = 841.89, 2.6 / 2.54 * 72  # A4, in points, and the report's top and bottom margin
    blank = []
    for lines in pages[:-1]:
        bottom = max(w[3] for line in lines for w in line if w[3] < height - margin + 2)  # not the page number
        blank.append((height - margin - bottom) / (height - 2 * margin))
    assert max(blank) < 0.5, [f"page {i + 1}: {b:.0%}" for i, b in enumerate(blank) if b >= 0.5]


def test_verdict_cells_are_set_one_way():
    """Table 3 set "yes" above "×5.0" in some cells and "yes 1.35" on one line in others: the mark and the
    statistic are joined by a non-breaking space, so every verdict cell of Tables 3 and 7 is one line."""
    from backlash.formats import NBSP
    from backlash.report import _cell

    assert _cell("igos_grow", "holds", 5.0) == f"yes{NBSP}×5.0" and _cell("cow_lower_bound", "not testable here",
                                                                          float("nan")) == "n/t"
    for name in ("tbl-verdicts.md", "tbl-verdicts-measures.md"):
        rows = (paths.PAPER_GENERATED / name).read_text(encoding="utf-8").splitlines()[2:]
        cells = [c.strip() for row in rows for c in row.strip("|").split("|")[1:]]
        marked = [c for c in cells if c.split(NBSP)[0] in ("yes", "no", "?")]
        assert marked and all(" " not in c for c in marked), [c for c in marked if " " in c]


def test_every_figure_stays_in_its_section(rendered):
    """A floating figure may go to the top or foot of a page, but not past the next section's heading: the
    appendix's two figures floated into "Data availability" until the floats waiting at each top-level heading
    were flushed. Every "Figure N:" caption lies, in the PDF's reading order, before the next section's
    heading, and on the page of its own section's heading or later: a figure may head the page on which its
    section begins, above the heading, as journals place floats (Figure 4 does so when the tables float too)."""
    from backlash.render import prepare

    markdown, _, _ = prepare(rendered / "paper.qmd", {"renderer": "a renderer"})
    section, home, titles = 0, [], {}
    for line in markdown.splitlines():
        if line.startswith("# ") and ".unnumbered" not in line:
            section += 1
            titles[section] = re.sub(r"\s*\{.*\}\s*$", "", line[2:]).strip()
        home += [section] * len(re.findall(r"\{#fig-[\w-]+", line))
    assert len(home) >= 9 and home[-1] == section - 1  # the appendix's figures, before the last section

    pages, _ = _page_lines(rendered / "paper.pdf")
    lines = [(n, " ".join(w[4] for w in line)) for n, page in enumerate(pages) for line in page]  # one column

    def first(prefix: str) -> tuple[int, int]:
        """The page and the place in reading order of the first line opening with ``prefix``."""
        found = [(n, i) for i, (n, line) in enumerate(lines) if line.startswith(prefix)]
        assert found, f"{prefix!r} not found at the start of a line of the PDF"
        return found[0]

    for number, k in enumerate(home, start=1):
        caption = first(f"Figure {number}: ")
        assert first(f"{k} {titles[k][:25]}")[0] <= caption[0], f"Figure {number} comes before its section, {k}"
        if k + 1 in titles:
            assert caption < first(f"{k + 1} {titles[k + 1][:25]}"), \
                f"Figure {number} of section {k} floats past the heading of section {k + 1}"
