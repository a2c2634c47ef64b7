"""Extending the package: another withdrawal rule, democracy measure and cut-off, and Figure 2 and 3 parameters.

One rebuild in a scratch copy with all of them changed at once (Figure 3 at a lambda where L never switches
to exit on the figure's slice): the report must name each choice at
the precision given, every verdict it states must match the copy's own verdict table, and no
sentence of the default build may survive where it is no longer true.

The same rebuild runs with a `quarto` on PATH that behaves as real Quarto 1.10.18 does where it
matters (tests/_fake_quarto.py: it rewrites the project's .gitignore unless it holds Quarto's lines,
and embeds its own scripts and styles as ``data:`` URIs), in a git repository holding the copy: the
build must leave `git status` clean, and its report must pass the checks of tests/test_paper.py.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import subprocess

import pandas as pd
import pytest
import yaml
from _fake_quarto import install as install_fake_quarto
from _report_checks import DOUBLED, crossref_problems, headings, pdf_text, raster_images, reference_list
from _scratch import clean_env, copy_project, make

from backlash import paths
from backlash.render import external_references
from backlash.report import STATUS_NOTE

RULE, MEASURE, THRESHOLD, LAM, LAM3 = "strict", "vdem", "0.6", "0.55", "0.3"


@pytest.fixture(scope="module")
def extended(tmp_path_factory) -> dict:
    root = copy_project(tmp_path_factory.mktemp("extension") / "project")
    exhibits = root / "src/backlash/exhibits/model.py"
    text = exhibits.read_text(encoding="utf-8")
    assert "FIGURE2_PARAMS = FOOTNOTE9_PARAMS" in text and "FIGURE3_PARAMS = PROP3_PARAMS" in text
    text = text.replace("FIGURE2_PARAMS = FOOTNOTE9_PARAMS",
                        f"FIGURE2_PARAMS = ModelParams(lam={LAM}, alpha_r=None, alpha_e=0.4, x_h=0.5, gamma=None)")
    text = text.replace("FIGURE3_PARAMS = PROP3_PARAMS",
                        f"FIGURE3_PARAMS = ModelParams(lam={LAM3}, alpha_r=None, alpha_e=0.4, x_h=0.125, gamma=1.05)")
    exhibits.write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=scratch", "-c", "user.email=scratch@example.org", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the copy, as committed"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    bindir = install_fake_quarto(tmp_path_factory.mktemp("bin")).parent
    env = clean_env(PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}")
    env.pop("FAKE_QUARTO_OUTPUT", None)
    mirror = paths.data_mirror()
    if mirror is not None:
        env["BACKLASH_DATA_MIRROR"] = str(mirror.resolve())
    res = make(root, "all", f"WITHDRAWAL_RULE={RULE}", f"DEMOCRACY={MEASURE}", f"DEMOCRACY_THRESHOLD={THRESHOLD}",
               env=env)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    status = subprocess.run([*git, "status", "--porcelain", "--untracked-files=all"], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    html = (root / "paper/paper.html").read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    text = html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).replace("\u2019", "'")
    return {"root": root, "vars": yaml.safe_load((root / "_variables.yml").read_text(encoding="utf-8")),
            "text": text, "verdicts": pd.read_csv(root / "data/derived/verdicts.csv"),
            "decomposition": pd.read_csv(root / "data/derived/regime_decomposition.csv"),
            "robustness": pd.read_csv(root / "data/derived/measure_robustness.csv"),
            "log": res.stdout, "status": status, "html": html}


def test_a_quarto_build_leaves_git_status_clean(extended):
    """`make all` with Quarto on PATH renders with it and leaves nothing for git to report: Quarto's own
    edit of .gitignore is a no-op because the committed file holds its lines, and every output is ignored."""
    assert re.search(r"built paper/paper.pdf, paper/paper.html with quarto 1\.10\.18", extended["log"])
    assert extended["status"] == ""


def test_a_quarto_build_passes_the_report_checks(extended):
    """The report Quarto writes is self-contained although it embeds Quarto's scripts as data: URIs, and its
    PDF has vector figures, one bibliography heading, "et al.", no doubled punctuation, Quarto's references."""
    html, pdf = extended["html"], extended["root"] / "paper/paper.pdf"
    assert 'src="data:application/javascript;base64,' in html and external_references(html) == []
    assert raster_images(pdf) == [] and headings(pdf).count("References") == 1 and "Bibliography" not in headings(pdf)
    text = pdf_text(pdf)
    refs = reference_list(text)
    assert "et al." in refs and "and others" not in refs and not DOUBLED.search(refs)
    assert crossref_problems(text) == [] and re.search(r"Equation \d", text)


def test_report_names_every_choice_as_given(extended):
    """The rule, the measure and its cut-off, and λ = 0.55 appear as chosen (not rounded to 0.6), and the
    report says that the measure and Figure 2's parameters are not the paper's."""
    v, text = extended["vars"], extended["text"]
    assert v["data"]["figure_rule"] == RULE
    assert v["data"]["regime_rule"] == f"v2x_polyarchy > {THRESHOLD}"
    assert v["data"]["measure_name"] == "V-Dem"
    assert "as in the paper" not in v["data"]["regime_rule_note"]
    assert v["model"]["f2_lam"] == LAM
    assert v["model"]["f2_source"].startswith("chosen for this build")
    assert v["model"]["f2_status"].startswith("Not comparable")
    for phrase in (f"`{RULE}` rule".replace("`", ""), "V-Dem", f"v2x_polyarchy > {THRESHOLD}",
                   f"This build uses {RULE} instead"):
        assert phrase in text, phrase


def test_no_default_sentence_survives(extended):
    """Sentences true only of the default build are gone: the paper's definition of democracy "as in the
    paper", "This report uses it" (the default rule), and "the paper's footnote 9" for Figure 2."""
    text = extended["text"]
    assert "(as in the paper)" not in text
    assert "This report uses it." not in text
    assert "(the paper's footnote 9)" not in text


def test_every_verdict_matches_the_copys_numbers(extended):
    """Each verdict the report states for the chosen rule and measure is the copy's own verdict table's."""
    verdicts = extended["verdicts"]
    chosen = verdicts[(verdicts["rule"] == RULE) & (verdicts["measure"] == MEASURE)].set_index("claim")
    assert not chosen.empty
    for claim, stated in extended["vars"]["data"]["claims"].items():
        assert stated["status"] == STATUS_NOTE[chosen.loc[claim, "status"]], claim
        assert stated["evidence"] == chosen.loc[claim, "evidence"], claim


def test_figure3_where_l_never_switches(extended):
    """Figure 3 at lambda = 0.3: the build succeeds, the report says that L never switches to exit on the slice,
    and replication note 3 neither claims the shape nor the Prop. 3 example's parameters."""
    v, text = extended["vars"], extended["text"]
    assert v["model"]["f3"]["lam"] == LAM3
    assert "L never switches to exit at this γ" in text
    assert "Not reproduced in shape" in text
    assert "ours are those of the Proposition 3 example" not in text
    assert (extended["root"] / "figures/figure3.png").stat().st_size > 0


def test_cut_off_in_use_is_in_the_captions_and_tables(extended):
    """The captions of the regime tables name the cut-off in use, and Table 5's row for the chosen measure is at
    that cut-off (the others at their defaults)."""
    text = extended["text"]
    assert text.count(f"v2x_polyarchy > {THRESHOLD}") >= 6
    rob = extended["robustness"]
    assert set(rob.loc[rob["measure"] == MEASURE, "cutoff"]) == {f"v2x_polyarchy > {THRESHOLD}"}
    assert set(rob.loc[rob["measure"] == "polity", "cutoff"]) == {"polity2 ≥ 7"}


def test_decomposition_words_match_the_copys_numbers(extended):
    """The per-state and per-membership sentence of the report is the copy's own, for its rule and measure."""
    from backlash.verdicts import decomposition_sentence

    d = extended["decomposition"]
    late = d[(d["rule"] == RULE) & (d["measure"] == MEASURE) & (d["period"] == "1971-2014")].iloc[0]
    sentence = decomposition_sentence((late["irr_state"], late["p_state"]),
                                      (late["irr_membership"], late["p_membership"]), late["density_ratio"])
    assert extended["vars"]["data"]["decomp"]["late"]["sentence"] == sentence
    assert set(d["measure"]) == {"polity", "bmr", "vdem", "lied"}
    assert set(d.loc[d["measure"] == MEASURE, "rule"]) == set(__import__("backlash.withdrawal").withdrawal.RULES)
