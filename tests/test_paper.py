"""The replication report: renders offline to PDF and self-contained HTML, every number generated."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from backlash import paths
from backlash.render import RenderError, expand_shortcodes, number_crossrefs, render_paper
from backlash.report import f as fmt


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Render a temporary copy of paper/ (with the built figures) with the fallback renderer."""
    root = tmp_path_factory.mktemp("render")
    shutil.copytree(paths.PAPER, root / "paper", ignore=shutil.ignore_patterns("paper.pdf", "paper.html"))
    shutil.copytree(paths.FIGURES, root / "figures")
    render_paper(root / "paper" / "paper.qmd", force_fallback=True, root=root)
    return root / "paper"


@pytest.fixture(scope="module")
def pdf_text(rendered) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(rendered / "paper.pdf").pages)
    return re.sub(r"\s+", " ", text)


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(paths.PAPER, tmp_path / "paper", ignore=shutil.ignore_patterns("paper.pdf", "paper.html"))
    shutil.copytree(paths.FIGURES, tmp_path / "figures")
    return tmp_path / "paper" / "paper.qmd"


def test_both_outputs_exist(rendered):
    assert (rendered / "paper.pdf").stat().st_size > 10_000
    assert (rendered / "paper.html").stat().st_size > 10_000


def test_pdf_has_every_caption_and_no_unresolved_marks(pdf_text):
    """Every figure and table caption is in the PDF; no '??' and no leftover shortcode."""
    for k in range(1, 6):
        assert f"Figure {k}:" in pdf_text
    for k in range(1, 5):
        assert f"Table {k}:" in pdf_text
    for phrase in ("Exit thresholds", "Vote differences", "Equilibrium regimes", "reputational cost",
                   "Withdrawals from IGOs", "The withdrawal rules", "Poisson models", "proof of Proposition 3"):
        assert phrase in pdf_text
    assert "??" not in pdf_text and "{{<" not in pdf_text and "@fig-" not in pdf_text


def test_pdf_has_the_prop3_numbers_under_both_calibrations(pdf_text):
    """Each Prop. 3 number appears in the PDF as printed, under `equations` and under `reported`."""
    table = pd.read_csv(paths.PROP3_TABLE)
    for col in ("printed", "equations", "reported"):
        for value in table[col]:
            assert fmt(value) in pdf_text or fmt(value).replace("−", "-") in pdf_text, (col, value)


def test_html_is_self_contained(rendered):
    """The HTML loads nothing from outside: images embedded, math as MathML, no external scripts or styles."""
    html = (rendered / "paper.html").read_text()
    assert not re.search(r"<(script|img|iframe)[^>]+src=\"(?!data:)", html)
    assert not re.search(r"<link[^>]+href=\"https?:", html)
    assert "<math" in html and "data:image/png;base64" in html
    for label in ("fig-withdrawals", "fig-thresholds", "fig-realignment", "tbl-prop3", "tbl-sensitivity"):
        assert f'id="{label}"' in html


def test_missing_variable_fails_naming_it(tmp_path):
    """A variable the pipeline did not write stops the build with a message that names it."""
    qmd = _copy(tmp_path)
    qmd.write_text(qmd.read_text() + "\nThe answer is {{< var data.no_such_number >}}.\n")
    with pytest.raises(RenderError, match="data.no_such_number"):
        render_paper(qmd, force_fallback=True, root=tmp_path)
    assert not (qmd.parent / "paper.pdf").exists()


@pytest.mark.parametrize("addition, message", [
    ("See @fig-nonexistent.", "unresolved cross-reference @fig-nonexistent"),
    ("{{< include generated/missing.md >}}", "included file"),
    ("![A figure](../figures/missing.png){#fig-missing}", "missing figure"),
    ("As argued by [@nobody2099].", "nobody2099"),
    ("{{< pagebreak >}}", "shortcode"),
])
def test_broken_paper_fails_clearly(tmp_path, addition, message):
    """Unresolved references, missing includes or figures, unknown citations and stray shortcodes fail the build."""
    qmd = _copy(tmp_path)
    qmd.write_text(qmd.read_text().replace("# References {.unnumbered}", f"{addition}\n\n# References {{.unnumbered}}"))
    with pytest.raises(RenderError, match=re.escape(message)):
        render_paper(qmd, force_fallback=True, root=tmp_path)


def test_crossrefs_are_numbered_in_order_and_code_is_left_alone():
    text = ("# A {#sec-a}\n\n![x](a.png){#fig-b}\n\n![y](b.png){#fig-a}\n\n## Sub {#sec-sub}\n\n"
            "$$ x $$ {#eq-one}\n\nSee @fig-a, @fig-b, @sec-sub and @eq-one.\n\n```\n@fig-zzz\n```\n")
    out = number_crossrefs(text, caption_prefix=True)
    assert "[Figure 2](#fig-a)" in out and "[Figure 1](#fig-b)" in out
    assert "[Section 1.1](#sec-sub)" in out and "Equation (1)" in out
    assert "![Figure 1: x](a.png)" in out and "@fig-zzz" in out


def test_shortcodes_expand_from_nested_variables(tmp_path):
    (tmp_path / "t.md").write_text("| a |\n|---|\n| {{< var x.y >}} |\n")
    out = expand_shortcodes("Value {{< var x.y >}}.\n\n{{< include t.md >}}\n", {"x": {"y": "42"}}, tmp_path)
    assert out.startswith("Value 42.") and "| 42 |" in out


def test_no_number_is_typed_into_the_prose():
    """Outside shortcodes, math, code, citations and labels, the paper's source has no decimal number
    and no integer of three or more digits except years and the Python version it needs."""
    text = (paths.PAPER / "paper.qmd").read_text()
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\{\{<.*?>\}\}", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"@[a-z0-9_-]+|\{#[a-z0-9-]+\}", " ", text)
    text = text.replace("Python 3.11", " ")
    numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text)
    suspicious = [x for x in numbers if "." in x or (len(x) >= 3 and not 1800 <= int(x) <= 2100)]
    assert suspicious == []
