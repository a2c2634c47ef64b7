"""The report's model explorer: its JavaScript model agrees with the library, and paper.html runs it.

Two tools are needed: node (the JavaScript model alone) and headless Chromium (the built
``paper/paper.html``, scripts and all). Where one is missing the tests that need it are
skipped with a message saying how to install it; under CI (``CI`` set) they fail instead,
because ``.ci/run`` installs both.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from backlash import explorer, model, paths
from backlash.exhibits import model as model_exhibits

EXPLORER_JS = paths.EXPLORER / "explorer.js"
PAPER_HTML = paths.PAPER / "paper.html"
N_RANDOM = 3000  # random points per calibration
#: Tolerance of the JS model against the library (relative, and absolute near zero).
TOL = 1e-9
#: Half a unit in the last place of the six decimals the explorer's table shows.
SHOWN = 0.5e-6 + 1e-12
SCREEN_WIDTHS = {"explorer.png": 1280, "explorer_360.png": 360}


def _tool(names: tuple[str, ...], package: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{names[0]} is not installed: `apt-get install {package}` (.ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def node() -> str:
    return _tool(("node", "nodejs"), "nodejs")


@pytest.fixture(scope="module")
def chromium() -> str:
    return _tool(("chromium", "chromium-browser", "google-chrome"), "chromium")


# --------------------------------------------------------------------------- node
_HARNESS = r"""
const fs = require("fs");
const req = JSON.parse(fs.readFileSync(0, "utf8"));
const m = require(req.module);
const out = req.points.map((p) => {
  if (req.task === "outcome") return m.outcome(p);
  if (req.task === "switch") return [m.switchAlphaR("L", p), m.switchAlphaR("H", p)];
  if (req.task === "validate") return m.validate(p);
  if (req.task === "hash") return m.parseHash(m.formatHash(p));
  throw new Error("unknown task " + req.task);
});
process.stdout.write(JSON.stringify(out));
"""


def _run_node(node: str, task: str, points: list[dict]) -> list:
    res = subprocess.run([node, "-e", _HARNESS], input=json.dumps({"module": str(EXPLORER_JS), "task": task,
                                                                     "points": points}),
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def _random_points(rng: np.random.Generator, n: int, calibration: str) -> pd.DataFrame:
    """Valid points spread over the explorer's slider ranges and a little beyond."""
    lam = rng.uniform(0.02, 0.98, n)
    alpha_r = rng.uniform(1 - lam + 1e-6, 1.0)
    alpha_e = alpha_r * rng.uniform(0.0, 1.0, n)
    return pd.DataFrame({
        "lam": lam, "alpha_r": alpha_r, "alpha_e": alpha_e, "x_h": rng.uniform(0.005, 1.5, n),
        "b_psi": rng.uniform(0.05, 4.0, n), "gamma": rng.uniform(1.0005, 1.4, n), "c": rng.uniform(0.0, 0.2, n),
        "calibration": calibration,
    })


def _python_outcome(points: pd.DataFrame, calibration: str) -> model.Outcome:
    """The library's outcome at the points, with the explorer's convention b = bΨ, Ψ = 1."""
    p = points
    return model.outcome(p.alpha_r.to_numpy(), p.alpha_e.to_numpy(), p.x_h.to_numpy(), p.lam.to_numpy(),
                         p.gamma.to_numpy(), b=p.b_psi.to_numpy(), psi=1.0, c=p.c.to_numpy(), m=1.0,
                         calibration=calibration)


@pytest.mark.parametrize("calibration", model.CALIBRATIONS)
def test_js_model_agrees_with_the_library_at_random_points(node, calibration):
    """At 3,000 random valid points per calibration the JavaScript port gives the library's four
    shares (Prop. 1), thresholds (Prop. 2, with c), actions, D*_w, D*_ℓ, π and Lemma 1 flag to 1e-9."""
    points = _random_points(np.random.default_rng(14), N_RANDOM, calibration)
    js = pd.DataFrame(_run_node(node, "outcome", points.to_dict("records")))
    py = _python_outcome(points, calibration).to_dict()
    for key in ("theta_lr", "theta_le", "theta_hr", "theta_he", "gamma_l", "gamma_h", "d_w", "d_l", "pi",
                "share_w", "share_l"):
        np.testing.assert_allclose(js[key].to_numpy(float), py[key], rtol=TOL, atol=TOL, err_msg=key)
    for key in ("exit_l", "exit_h", "lemma1_ok"):
        assert (js[key].to_numpy(bool) == np.asarray(py[key], bool)).all(), key
    # the sample covers every regime the model allows and both Lemma 1 outcomes
    assert set(js["regime"]) >= {0, 1, 2}
    assert js["lemma1_ok"].any() and not js["lemma1_ok"].all()


@pytest.mark.parametrize("calibration", model.CALIBRATIONS)
def test_js_switch_points_agree_with_the_library(node, calibration):
    """The α_R at which each leader switches to exit (Corollary 3) equals model.switch_alpha_r to
    1e-9, and both say 'none' at the same points."""
    points = _random_points(np.random.default_rng(41), 150, calibration)
    js = _run_node(node, "switch", points.to_dict("records"))
    for (_, p), (js_l, js_h) in zip(points.iterrows(), js):
        for leader, got in (("L", js_l), ("H", js_h)):
            want = model.switch_alpha_r(leader, p.gamma, p.alpha_e, p.x_h, p.lam, b=p.b_psi, psi=1.0, c=p.c,
                                        calibration=calibration)
            if math.isnan(want):
                assert got is None, (leader, dict(p))
            else:
                assert got is not None and abs(got - want) <= TOL, (leader, dict(p), got, want)


_VALID = dict(lam=0.5, alpha_r=0.7, alpha_e=0.4, x_h=0.125, b_psi=1.0, gamma=1.05, c=0.0, calibration="equations")
_INVALID = [("lam", 0.0), ("lam", 1.0), ("alpha_r", 0.5), ("alpha_r", 1.2), ("alpha_e", 0.75), ("alpha_e", -0.1),
            ("x_h", 0.0), ("b_psi", 0.0), ("b_psi", 1e-20), ("gamma", 1.0), ("c", -0.01)]


@pytest.mark.parametrize(("key", "value"), _INVALID)
def test_js_flags_the_parameter_the_library_rejects(node, key, value):
    """A point outside the model's domain is rejected by the library and flagged by the explorer
    under the same parameter, and by no other."""
    point = {**_VALID, key: value}
    py_name = "b" if key == "b_psi" else key
    with pytest.raises(ValueError, match=f"^{py_name} must"):
        model.ModelParams(lam=point["lam"], alpha_r=point["alpha_r"], alpha_e=point["alpha_e"], x_h=point["x_h"],
                          b=point["b_psi"], psi=1.0, gamma=point["gamma"], c=point["c"])
    (errors,) = _run_node(node, "validate", [point])
    assert list(errors) == [key] and errors[key]


def test_js_accepts_valid_points_and_round_trips_the_url_hash(node):
    """A valid point gets no message, and the URL hash the explorer writes reads back to the same point."""
    points = _random_points(np.random.default_rng(7), 50, "reported").to_dict("records")
    assert _run_node(node, "validate", points) == [{}] * len(points)
    assert _run_node(node, "hash", points) == points


def test_presets_are_the_papers_parameter_sets(node):
    """The explorer's resets are footnote 9's and the Prop. 3 example's parameters from exhibits/model.py, and
    the built presets file (read by node as the page reads it) is the current one."""
    presets = explorer.explorer_presets()
    for name, p in (("footnote9", model_exhibits.FOOTNOTE9_PARAMS), ("prop3", model_exhibits.PROP3_PARAMS)):
        got = presets["presets"][name]
        assert (got["lam"], got["alpha_e"], got["x_h"], got["b_psi"], got["c"]) == (p.lam, p.alpha_e, p.x_h,
                                                                                      p.b * p.psi, p.c)
        assert got["gamma"] == model_exhibits.PROP3_PARAMS.gamma and got["alpha_r"] == model_exhibits.PROP3_ALPHA_R[0]
    assert paths.EXPLORER_PRESETS.read_text() == explorer.presets_script(presets)
    script = f"process.stdout.write(JSON.stringify(require({json.dumps(str(paths.EXPLORER_PRESETS))})))"
    res = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == presets


def test_presets_stay_the_papers_when_a_build_draws_its_figures_with_others(monkeypatch):
    """The buttons "return to the footnote-9 or the Proposition 3 parameters" (report, section on the explorer)
    in every build: with Figure 2's parameters changed to x_H = 0.3 and Figure 3's to gamma = 1.07 (the README's
    recipe for other model parameters), the presets labelled footnote 9 and Proposition 3 still hold the
    paper's values (x_H = 0.5; gamma = 1.05), not the build's."""
    from dataclasses import replace

    before = explorer.explorer_presets()["presets"]
    monkeypatch.setattr(model_exhibits, "FIGURE2_PARAMS", replace(model_exhibits.FOOTNOTE9_PARAMS, x_h=0.3))
    monkeypatch.setattr(model_exhibits, "FIGURE3_PARAMS", replace(model_exhibits.PROP3_PARAMS, gamma=1.07))
    after = explorer.explorer_presets()["presets"]
    assert after == before
    assert "footnote 9" in after["footnote9"]["label"] and after["footnote9"]["x_h"] == 0.5
    assert "Proposition 3" in after["prop3"]["label"] and after["prop3"]["gamma"] == 1.05


# --------------------------------------------------------------------------- the built page
def _embedded_text(page: str) -> str:
    """The page and, decoded, every base64 ``data:`` URI in it (where Quarto embeds scripts and styles)."""
    import base64

    decoded = [base64.b64decode(m.group(1)).decode("utf-8", "replace")
               for m in re.finditer(r"data:[a-z]+/[a-z0-9.+-]+(?:;[a-z-]+=[^;,]+)*;base64,([A-Za-z0-9+/=]+)", page)]
    return "\n".join([page, *decoded])


@pytest.mark.parametrize("as_quarto", [False, True], ids=["as built", "with Quarto's data URIs"])
def test_paper_html_carries_the_explorer_inline(as_quarto):
    """paper.html holds the explorer's code, style and presets (inline, or embedded as ``data:`` URIs as
    Quarto embeds its own scripts), and no request leaves the file: nothing is loaded from a file beside it
    or from the network, and nothing links to a file beside it (render.external_references). The page as
    Quarto writes it, with its own scripts and styles as ``data:`` URIs, passes too."""
    from _fake_quarto import quarto_html

    from backlash.render import external_references

    page = quarto_html(PAPER_HTML.read_text()) if as_quarto else PAPER_HTML.read_text()
    assert 'id="backlash-explorer"' in page
    embedded = _embedded_text(page)
    assert "BacklashExplorer" in embedded and "BACKLASH_EXPLORER_PRESETS" in embedded and ".bx-controls" in embedded
    assert external_references(page) == []


def _url(hash_: str = "") -> str:
    return PAPER_HTML.resolve().as_uri() + hash_


class Page:
    """What headless Chromium shows of the explorer after running paper.html's scripts."""

    def __init__(self, dom: str):
        m = re.search(r'<script type="application/json" id="bx-data">(.*?)</script>', dom, re.S)
        assert m, "the explorer did not run: no #bx-data in the DOM"
        self.data = json.loads(m.group(1))
        start = dom.index('id="backlash-explorer"')
        self.explorer = dom[start:dom.index('id="bx-data"', start)]
        self.cells = {k: html.unescape(v) for k, v in re.findall(r'<td data-key="([a-z_]+)">([^<]*)</td>', dom)}
        self.messages = {k: html.unescape(v) for k, v in
                         re.findall(r'<p class="bx-msg" id="bx-([a-z_]+)-msg"[^>]*>([^<]*)</p>', dom)}
        m = re.search(r'<p class="bx-warning"[^>]*>([^<]*)</p>', dom)
        self.warning = html.unescape(m.group(1)) if m else ""
        m = re.search(r'<p class="bx-banner"[^>]*>([^<]*)</p>', dom)
        self.banner = html.unescape(m.group(1)) if m else ""


_STATES = {
    "default": "",
    "prop3_071_reported": "#alpha_r=0.71&calibration=reported",
    "custom": "#lam=0.55&alpha_r=0.8&alpha_e=0.3&x_h=0.3&b_psi=2&gamma=1.1&c=0.02&calibration=equations",
    "footnote9": "#lam=0.6&alpha_r=0.7&alpha_e=0.4&x_h=0.5&b_psi=1&gamma=1.05&c=0&calibration=equations",
    "lemma1_fails": "#lam=0.5&alpha_r=0.8&alpha_e=0.4&x_h=1.5&b_psi=2&gamma=1.3&c=0&calibration=equations",
    "invalid": "#lam=0.5&alpha_r=0.3&alpha_e=0.4&x_h=0.125&b_psi=1&gamma=1.05&c=0&calibration=equations",
}


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    """One headless Chromium for the module's pages (each test opens its page afresh)."""
    b = DevTools(chromium, tmp_path_factory.mktemp("chromium") / "profile")
    yield b
    b.close()


@pytest.fixture(scope="module")
def pages(browser) -> dict[str, Page]:
    """paper.html opened offline at each state of _STATES (desktop width), as its DOM after its scripts ran."""
    out = {}
    for name, h in _STATES.items():
        browser.open(_url(h), 1280, 1000)
        out[name] = Page(browser.evaluate("document.documentElement.outerHTML"))
    return out


def _params(hash_: str) -> dict:
    presets = explorer.explorer_presets()
    point = {k: v for k, v in presets["presets"][presets["default"]].items() if k != "label"}
    for pair in filter(None, hash_.lstrip("#").split("&")):
        key, value = pair.split("=")
        point[key] = value if key == "calibration" else float(value)
    return point


def _solve(p: dict) -> model.Equilibrium:
    return model.solve(model.ModelParams(lam=p["lam"], alpha_r=p["alpha_r"], alpha_e=p["alpha_e"], x_h=p["x_h"],
                                         b=p["b_psi"], psi=1.0, gamma=p["gamma"], c=p["c"],
                                         calibration=p["calibration"]))


@pytest.mark.parametrize("state", [s for s in _STATES if s != "invalid"])
def test_displayed_numbers_equal_the_library(pages, state):
    """At each URL state the table shows the library's shares, thresholds, actions, D*, π and switch
    points (to the six decimals shown), and the page's data equal them to 1e-9."""
    page, p = pages[state], _params(_STATES[state])
    eq = _solve(p)
    want = {k: getattr(eq, k) for k in ("theta_lr", "theta_le", "theta_hr", "theta_he", "gamma_l", "gamma_h",
                                        "d_w", "d_l", "pi")}
    assert page.data["valid"] and page.data["params"] == p
    for key, value in want.items():
        assert abs(float(page.cells[key]) - value) <= SHOWN, (key, page.cells[key], value)
        assert abs(page.data["result"]["point"][key] - value) <= TOL * max(1.0, abs(value)), key
    for key in ("action_l", "action_h"):
        assert page.cells[key].startswith("exit" if getattr(eq, key) == "E" else "remain")
    for leader, key in (("L", "switch_l"), ("H", "switch_h")):
        sw = model.switch_alpha_r(leader, p["gamma"], p["alpha_e"], p["x_h"], p["lam"], b=p["b_psi"], psi=1.0,
                                  c=p["c"], calibration=p["calibration"])
        if math.isnan(sw):
            assert page.cells[key].startswith("none")
        else:
            assert abs(float(page.cells[key].split()[0]) - sw) <= SHOWN
    lemma1 = [w for w in eq.warnings if w.startswith("Lemma 1")]
    assert bool(lemma1) == ("Lemma 1" in page.warning)
    assert "NaN" not in page.explorer and "Infinity" not in page.explorer


def test_lemma1_warning_is_shown_where_pi_leaves_the_unit_interval(pages):
    """At a point where π > 1 the explorer states that Lemma 1's probability is invalid there."""
    assert _solve(_params(_STATES["lemma1_fails"])).pi > 1
    assert "π = " in pages["lemma1_fails"].warning and "outside [0, 1]" in pages["lemma1_fails"].warning


def test_a_point_outside_the_domain_is_named_beside_its_slider(pages):
    """α_R below 1 − λ: a message next to the α_R slider, none elsewhere, and the figures and table
    keep the last valid point (never NaN or blank)."""
    page = pages["invalid"]
    assert not page.data["valid"]
    assert page.messages["alpha_r"].startswith("α_R must exceed 1 − λ")
    assert {k for k, v in page.messages.items() if v} == {"alpha_r"}
    assert "last valid point" in page.banner
    default = pages["default"]
    assert page.cells == default.cells and page.data["result"] == default.data["result"]
    assert "NaN" not in page.explorer and page.explorer.count("<polyline") >= 4


def _curves_at(page: Page, figure: str) -> pd.DataFrame:
    return pd.DataFrame(page.data["result"][figure])


def test_explorer_figure2_equals_the_static_series(pages):
    """At footnote 9's parameters the explorer draws Figure 2 on the static figure's grid with its
    values (data/derived/figure2_series.csv) to 1e-9; in a build that draws Figure 2 with other parameters,
    with the library's curves at footnote 9's."""
    static = pd.read_csv(paths.FIGURE2_SERIES)
    if not model_exhibits.same_params(model_exhibits.FIGURE2_PARAMS, model_exhibits.FOOTNOTE9_PARAMS):
        static = model_exhibits.threshold_curves(model_exhibits.FOOTNOTE9_PARAMS)[static.columns]
    drawn = _curves_at(pages["footnote9"], "figure2")
    assert len(drawn) == len(static)
    for col in static.columns:
        np.testing.assert_allclose(drawn[col].to_numpy(float), static[col].to_numpy(float), rtol=0, atol=TOL,
                                   err_msg=col)


def test_explorer_figure3_equals_the_static_series(pages):
    """At the Proposition 3 parameters (the default view) the explorer's Figure 3 has the static
    figure's D*_w, D*_ℓ, π, regimes and segments (data/derived/figure3_series.csv) to 1e-9; in a build that
    draws Figure 3 with other parameters, the library's at the Proposition 3 example's."""
    static = pd.read_csv(paths.FIGURE3_SERIES)
    static = static[static["calibration"] == "equations"].drop(columns="calibration").reset_index(drop=True)
    if not model_exhibits.same_params(model_exhibits.FIGURE3_PARAMS, model_exhibits.PROP3_PARAMS):
        static = model_exhibits.realignment_curves(model_exhibits.PROP3_PARAMS)[static.columns]
    drawn = _curves_at(pages["default"], "figure3")
    assert len(drawn) == len(static)
    for col in static.columns:
        np.testing.assert_allclose(drawn[col].to_numpy(float), static[col].to_numpy(float), rtol=0, atol=TOL,
                                   err_msg=col)
    p3 = model_exhibits.PROP3_PARAMS
    switches = pages["default"].data["result"]["switches"]
    assert abs(switches["alpha_r_h"] - model.switch_alpha_r("H", p3.gamma, p3.alpha_e, p3.x_h, p3.lam)) <= TOL


def test_every_slider_is_labelled_and_reachable_by_keyboard(pages):
    """Each parameter has a native range input and a number box, both labelled and in the tab order,
    a calibration radio group and the two reset buttons."""
    ex = pages["default"].explorer
    for key in ("lam", "alpha_r", "alpha_e", "x_h", "b_psi", "gamma", "c"):
        assert re.search(rf'<label for="bx-{key}-num" id="bx-{key}-label">[^<]+</label>', ex), key
        assert re.search(rf'<input type="range" id="bx-{key}"[^>]*aria-labelledby="bx-{key}-label"', ex), key
        assert re.search(rf'<input type="number" id="bx-{key}-num"', ex), key
    assert 'tabindex="-1"' not in ex
    assert ex.count('type="radio" name="bx-calibration"') == 2
    assert 'id="bx-reset-footnote9"' in ex and 'id="bx-reset-prop3"' in ex


class DevTools:
    """Headless Chromium driven over its DevTools pipe (``--remote-debugging-pipe``: commands on
    fd 3, replies on fd 4, each a JSON message ending in a NUL byte). Needed for the 360 px view:
    a headless window is never narrower than 500 px, so the width is set by device emulation."""

    def __init__(self, chromium: str, profile: Path, timeout: float = 60.0):
        import fcntl

        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        # move the child's ends above fd 4 so that dup2 onto 3 and 4 cannot clobber them
        child_in, child_out = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_child, from_child))
        os.close(to_child)
        os.close(from_child)

        def wire() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=wire, close_fds=False)
        os.close(child_in)
        os.close(child_out)
        self.write, self.read = from_parent, to_parent
        self.timeout, self.buffer, self.next_id, self.events = timeout, b"", 0, []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def _message(self) -> dict:
        import select
        import time

        deadline = time.monotonic() + self.timeout
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.read], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("Chromium did not answer over the DevTools pipe")
            chunk = os.read(self.read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: bool = False, **params) -> dict:
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self.write, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply.get("method"))

    def open(self, url: str, width: int, height: int) -> None:
        """Load ``url`` in a ``width`` × ``height`` CSS-pixel viewport (no mobile zoom-out: the width is exact)."""
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        self.call("Page.enable", session=True)
        for target in ("about:blank", url):  # (a new page each time, even where only the hash differs)
            self.events = []
            self.call("Page.navigate", session=True, url=target)
            while "Page.loadEventFired" not in self.events:
                self.events.append(self._message().get("method"))

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                         awaitPromise=True)["result"].get("value")

    def screenshot(self, x: int, y: int, width: int, height: int) -> bytes:
        import base64

        shot = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True,
                         clip={"x": x, "y": y, "width": width, "height": height, "scale": 1})
        return base64.b64decode(shot["data"])

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.write)
        os.close(self.read)


@pytest.mark.parametrize("name", SCREEN_WIDTHS)
def test_screenshot_of_the_explorer(browser, name):
    """A screenshot of the explorer at a desktop width and at 360 px goes to figures/ for a reviewer;
    at 360 px nothing in the explorer is wider than the screen and the table still shows numbers."""
    from io import BytesIO

    from PIL import Image

    width = SCREEN_WIDTHS[name]
    browser.open(_url(_STATES["prop3_071_reported"]), width, 900)
    assert browser.evaluate("window.innerWidth") == width
    box = json.loads(browser.evaluate(
        "new Promise(r => setTimeout(() => r(document.getElementById('backlash-explorer')"
        ".getAttribute('data-layout')), 200))"))
    assert box["height"] > 300, "the explorer has no layout"
    assert box["left"] >= 0 and box["left"] + box["width"] <= width, box
    assert box["scroll_width"] <= box["client_width"], f"the explorer's content overflows its box: {box}"
    assert browser.evaluate("document.querySelector('[data-key=theta_lr]').textContent") == "0.569103"
    png = browser.screenshot(0, max(0, box["top"] - 12), width, box["height"] + 24)
    with Image.open(BytesIO(png)) as im:
        assert im.size[0] == width
        assert len(im.convert("L").getcolors(256)) > 10, "the screenshot is blank"
        paths.FIGURES.mkdir(exist_ok=True)
        im.save(paths.FIGURES / name)


def test_report_page_does_not_scroll_sideways_at_360px(browser):
    """On a 360 px screen the page is no wider than the screen: wide tables and display equations
    scroll inside their own box (paper/style.css), and at least one table does need to."""
    browser.open(_url(), 360, 800)
    assert browser.evaluate("window.innerWidth") == 360
    assert browser.evaluate("document.documentElement.scrollWidth") <= 360
    boxes = json.loads(browser.evaluate(
        "JSON.stringify([...document.querySelectorAll('table, math[display=block]')].map(el => ({"
        "right: el.getBoundingClientRect().right, inner: el.scrollWidth, shown: el.clientWidth,"
        "scrolls: ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)})))"))
    assert boxes and all(b["right"] <= 360 for b in boxes), [b for b in boxes if b["right"] > 360]
    assert all(b["scrolls"] for b in boxes if b["inner"] > b["shown"] + 1)
    assert any(b["inner"] > b["shown"] + 1 for b in boxes), "no wide table: the test no longer tests anything"


def test_keyboard_typing_and_reset_redraw_the_explorer(browser):
    """Arrow keys on a focused slider, a typed value and a reset button each redraw the table and
    rewrite the URL hash; the new numbers are the library's."""
    cell = "document.querySelector('[data-key=%s]').textContent"
    browser.open(_url(), 1280, 900)
    assert browser.evaluate("location.hash") == ""
    browser.evaluate("document.getElementById('bx-alpha_r').focus()")
    for _ in range(10):  # ten steps of 0.001 from the Proposition 3 example's 0.7
        for kind in ("rawKeyDown", "keyUp"):
            browser.call("Input.dispatchKeyEvent", session=True, type=kind, key="ArrowRight",
                         code="ArrowRight", windowsVirtualKeyCode=39)
    hash_ = browser.evaluate("location.hash")
    assert "alpha_r=0.71&" in hash_ and "calibration=equations" in hash_
    eq = _solve(_params(hash_))
    assert abs(float(browser.evaluate(cell % "theta_hr")) - eq.theta_hr) <= SHOWN
    assert abs(float(browser.evaluate(cell % "gamma_h")) - eq.gamma_h) <= SHOWN

    browser.evaluate("(() => { const box = document.getElementById('bx-gamma-num'); box.value = '1.2';"
                     " box.dispatchEvent(new Event('input', {bubbles: true})); })()")
    hash_ = browser.evaluate("location.hash")
    assert "gamma=1.2&" in hash_
    assert browser.evaluate("document.getElementById('bx-gamma').value") == "1.2"
    eq = _solve(_params(hash_))
    assert abs(float(browser.evaluate(cell % "d_w")) - eq.d_w) <= SHOWN

    browser.evaluate("document.getElementById('bx-reset-footnote9').click()")
    assert _params(browser.evaluate("location.hash")) == _params(_STATES["footnote9"])
    assert browser.evaluate("document.getElementById('bx-x_h-num').value") == "0.5"
