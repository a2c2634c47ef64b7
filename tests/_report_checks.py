"""Checks of a rendered report that more than one test file runs (on the fallback's output, and on
the output of a build with a Quarto-like `quarto` on PATH)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

#: Punctuation doubled by a bibliography that adds its own after a title's ("Organizations?.",
#: "Project,."); a period after an initial before a comma ("C. W.,") is not doubled.
DOUBLED = re.compile(r"[?!,;:][”\"’]?[.,;:]|,,|(?<!\.)\.\.(?!\.)")


def pdf_text(pdf: Path) -> str:
    """The PDF's text, every run of white space one space.

    Read by poppler's `pdftotext` where it is installed (Debian's poppler-utils; .ci/run installs it): it reads
    the report in a quarter of a second, pypdf, the fallback, in about four.
    """
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
        return re.sub(r"\s+", " ", text.decode("utf-8"))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(pdf).pages))


def raster_images(pdf: Path) -> list[str]:
    """Every raster image in the PDF (page number and name), looking inside embedded forms too."""
    found: list[str] = []

    def walk(resources, where: str, seen: set) -> None:
        xobjects = (resources or {}).get("/XObject") or {}
        for name, ref in xobjects.items():
            obj = ref.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.get("/Subtype") == "/Image":
                found.append(f"{where} {name}")
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources"), f"{where} {name}", seen)

    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        walk(page.get("/Resources"), f"page {number}", set())
    return found


def vector_figures(pdf: Path) -> int:
    """How many embedded vector graphics (form XObjects: a figure from a PDF or SVG file) the PDF holds."""
    return sum(1 for page in PdfReader(pdf).pages
               for ref in ((page.get("/Resources") or {}).get("/XObject") or {}).values()
               if ref.get_object().get("/Subtype") == "/Form")


def headings(pdf: Path) -> list[str]:
    """The titles of the PDF's outline (its headings, as Typst records them), depth first."""
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(PdfReader(pdf).outline)
    return titles


def reference_list(text: str) -> str:
    """The text after the last "References" heading (the bibliography), from :func:`pdf_text`."""
    head, sep, tail = text.rpartition(" References ")
    assert sep, "no References heading in the PDF"
    return tail


def crossref_problems(text: str) -> list[str]:
    """References written other than as Quarto writes them ("Equation 2", not "Equation (2)")."""
    return re.findall(r"\b(?:Equation|Figure|Table|Section)s? \(\d+\)", text)
