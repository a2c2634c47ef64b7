"""Extending the package, and interrupting its build: one rebuild in a scratch copy proves both.

The copy changes another withdrawal rule, democracy measure and cut-off, and Figure 2 and 3 parameters at
once (Figure 3 at a lambda where L never switches to exit on the figure's slice): the report must name each
choice at the precision given, every verdict it states must match the copy's own verdict table, and no
sentence of the default build may survive where it is no longer true.

The same rebuild runs with a `quarto` on PATH that behaves as real Quarto 1.10.18 does where it
matters (tests/_fake_quarto.py: it rewrites the project's .gitignore unless it holds Quarto's lines,
and embeds its own scripts and styles as ``data:`` URIs), in a git repository holding the copy (at a path
with a space): the build must leave `git status` clean, and its report must pass the checks of
tests/test_paper.py.

It is interrupted at each point of ``_INTERRUPTIONS`` (the fetch, a data step, a CSV write, the render) by
the signal a user (Ctrl-C) or the kernel (SIGKILL) sends, each time followed by `make all`, which must
recover; every step records the files it opens, for the audit of declared reads; and every output that
none of the changes reaches must come out byte for byte as the build of this checkout wrote it.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from _fake_quarto import install as install_fake_quarto
from _report_checks import DOUBLED, crossref_problems, headings, pdf_text, raster_images, reference_list
from _scratch import ROOT, clean_env, copy_project, interrupt_when, leftovers, make, start_make

from backlash import paths, pipeline
from backlash.render import external_references
from backlash.report import STATUS_NOTE

pytestmark = pytest.mark.scratch  # the whole module builds in copies of the project (tests/_scratch.py)

RULE, MEASURE, THRESHOLD, LAM, LAM3 = "strict", "vdem", "0.6", "0.55", "0.3"


#: Where each interruption of the scratch rebuild happens: (name, signal, what must be true first).
_INTERRUPTIONS = (
    ("fetch", signal.SIGKILL, lambda root, t0: any(root.glob("data/raw/**/.*.part"))
     or (root / "data/raw/polity5/p5v2018.csv").exists()),
    ("a data step", signal.SIGINT, lambda root, t0: time.monotonic() - t0 > 1.5),
    ("a CSV write", signal.SIGKILL, lambda root, t0: any(root.glob("data/derived/.*.tmp"))),
    ("the render", signal.SIGKILL, lambda root, t0: any(root.glob("paper/.render-*"))),
)
# (SIGTERM during the render, which must remove its scratch files at once, is tested on a small document in
# tests/test_paper.py, as are the report's bytes rendered again in another folder.)


@pytest.fixture(scope="module")
def extended(tmp_path_factory) -> dict:
    root = copy_project(tmp_path_factory.mktemp("extension") / "project copy")  # a space in the path
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
    if mirror is not None and (mirror / "polity5/p5v2018.csv").is_file():
        env["BACKLASH_DATA_MIRROR"] = str(mirror.resolve())
        (root / "data/raw/polity5/p5v2018.csv").unlink()  # fetched again, and interrupted
    # Every step records the project files it opens (backlash.pipeline), for the read audit.
    env["BACKLASH_TRACE_READS"] = str(root.parent / "reads.jsonl")
    choices = (f"WITHDRAWAL_RULE={RULE}", f"DEMOCRACY={MEASURE}", f"DEMOCRACY_THRESHOLD={THRESHOLD}")
    log = root.parent / "make.log"
    rounds = []
    for name, sig, ready in _INTERRUPTIONS:
        t0 = time.monotonic()
        proc = start_make(root, "all", *choices, env=env, log=log)
        sent = interrupt_when(proc, lambda: ready(root, t0), sig)
        rounds.append(dict(name=name, signal=sig.name, sent=sent, returncode=proc.returncode,
                           leftovers=leftovers(root)))
    res = make(root, "all", env=env)  # the choices as recorded by the interrupted runs
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
            "log": log.read_text(encoding="utf-8", errors="replace") + res.stdout, "status": status, "html": html,
            "rounds": rounds, "reads": root.parent / "reads.jsonl", "edited": [exhibits]}


def test_a_quarto_build_leaves_git_status_clean(extended):
    """`make all` with Quarto on PATH renders with it, and the report says so; it leaves nothing for git to
    report: Quarto's own edit of .gitignore is a no-op because the committed file holds its lines, and every
    output is ignored."""
    assert re.search(r"built paper/paper.pdf, paper/paper.html with quarto 1\.10\.18", extended["log"])
    assert extended["status"] == ""
    assert "This copy was rendered by Quarto 1.10.18." in extended["text"]


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
        # _variables.yml keeps ranges on one line with word joiners (backlash.formats.unbroken_ranges)
        assert stated["evidence"].replace("\u2060", "") == chosen.loc[claim, "evidence"], claim


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
    assert set(d["measure"]) == set(__import__("backlash.democracy").democracy.MEASURES)
    assert set(d.loc[d["measure"] == MEASURE, "rule"]) == set(__import__("backlash.withdrawal").withdrawal.RULES)


# --------------------------------------------------------------------------- the interrupted rebuild
def test_interrupted_builds_recover_with_make_all(extended):
    """After SIGKILL during the fetch, Ctrl-C during a data step, SIGKILL during a CSV write and during the
    render, one `make all` finishes the build: nothing is left to do, no temporary file is left anywhere,
    `git status` is clean (test above), and make never deleted a finished output."""
    root, rounds = extended["root"], extended["rounds"]
    assert sum(r["sent"] for r in rounds) >= 3, f"too few interruptions landed: {rounds}"
    assert make(root, "-q", "all").returncode == 0
    assert leftovers(root) == []
    assert not re.search(r"Deleting file '(data|figures|paper)/", extended["log"])


def _digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _reached(steps, root: Path, changed: set[str]) -> set[str]:
    """The outputs (relative paths) of the steps that ``changed`` files reach, directly or through another
    step's outputs, by the steps' own prerequisites (what make reruns them for)."""
    reached = set(changed)
    for _ in steps:  # enough passes for the longest chain
        for s in steps:
            if reached & set(pipeline.step_prerequisites(s, steps, root)):
                reached |= {str(w.relative_to(paths.ROOT)) for w in s.writes}
    return reached


def test_outputs_the_changes_do_not_reach_are_byte_identical(extended):
    """Rebuilt from scratch in another folder, with interruptions and a raw file fetched again, every output in
    data/derived/, data/cache/ and figures/ that neither the recorded choices nor the edited module reach (by
    the steps' own prerequisites) is the same bytes as `make all` wrote here. (The outputs they reach are
    checked above for their content; a figure's bytes rebuilt elsewhere in tests/test_one_place.py, the
    report's in tests/test_paper.py.)"""
    root = extended["root"]
    steps = pipeline.load_steps()
    reached = _reached(steps, ROOT, {".make/choices.toml", *(str(p.relative_to(root)) for p in extended["edited"])})
    compared = []
    for folder in ("data/derived", "data/cache", "figures"):
        rebuilt, original = _digest_tree(root / folder), _digest_tree(ROOT / folder)
        # the explorer's screenshots are written by tests/test_explorer.py, not by the build
        rebuilt, original = ({k: v for k, v in d.items() if not k.startswith("explorer")} for d in (rebuilt, original))
        assert rebuilt.keys() == original.keys()
        same = [k for k in rebuilt if f"{folder}/{k}" not in reached]
        changed = sorted(k for k in same if rebuilt[k] != original[k])
        assert changed == [], f"bytes differ between two builds: {changed}"
        compared += same
    assert len(compared) >= 5, f"too few outputs to compare: {compared}"


def test_each_step_opens_only_what_it_declares(extended):
    """Traced on a real run from scratch: every project file a step opened is declared by its STEP
    (a read, a raw input, an output, its script or a library module it imports), and every step ran."""
    steps = pipeline.load_steps()  # the copy's scripts are these; its trace holds paths relative to its root
    by_name = {s.name: s for s in steps}
    opened: dict[str, set[str]] = {}
    for line in extended["reads"].read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        opened.setdefault(record["step"], set()).update(record["opened"])
    assert sorted(opened) == sorted(by_name), "some steps never ran (or ran without the trace)"
    for name, files in opened.items():
        undeclared = pipeline.undeclared_reads(by_name[name], sorted(files), steps)
        assert undeclared == [], f"py/{name}.py opened {undeclared} but its STEP does not declare them"


def test_a_new_commit_leaves_only_the_report_out_of_date(extended):
    """The copy was built from a clean commit, and its report names it. A new commit (an edited README) changes
    the source's state, an input of the report's variables alone: a dry run shows the new state to be recorded
    and the report's step out of date, and no other step. (Run last: it leaves the copy out of date.)"""
    root = extended["root"]
    git = ["git", "-c", "user.name=scratch", "-c", "user.email=scratch@example.org"]
    head = subprocess.run([*git, "rev-parse", "--short=12", "HEAD"], cwd=root, check=True, capture_output=True,
                          text=True).stdout.strip()
    assert extended["vars"]["env"]["commit"] == head and f"from git commit {head}," in extended["text"]
    with open(root / "README.md", "a", encoding="utf-8") as fh:
        fh.write("\nA line added after the build.\n")
    subprocess.run([*git, "commit", "-q", "-am", "an edit after the build"], cwd=root, check=True, capture_output=True)
    assert make(root, "-q", "all").returncode == 1
    dry = make(root, "-n", "all").stdout
    groups = re.findall(r"backlash\.pipeline run (\w+)", dry)
    assert groups == ["report"], dry[-3000:]
    assert f"'{head}'" not in dry and re.search(r"printf '%s\\n' '[0-9a-f]{12}' > \.make/source-state", dry), dry
