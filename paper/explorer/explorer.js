/* The model explorer of the replication report (Melnick 2025).
 *
 * Two parts in one file:
 *   1. `model`: a port of src/backlash/model.py (Proposition 1 shares, Proposition 2 exit
 *      thresholds, Lemma 1 vote differences and win probability, the realignment switch
 *      points), under both calibrations (`equations`, `reported`) and with the reputational
 *      cost c. Pure functions on plain numbers; tests/test_explorer.py checks them against
 *      the Python library with node.
 *   2. `mount`: the interactive section of paper.html (sliders, SVG figures, table, URL hash).
 *
 * Loadable as a CommonJS module (node) and as a plain <script> (the browser), with no
 * library and no network. The parameters (their sliders, symbols, words and domains), the
 * paper's presets and the figures' grids come from paper/generated/explorer_presets.js
 * (written by py/explorer_presets.py from backlash.model.PARAMETERS and
 * src/backlash/exhibits/model.py), loaded before this file in the page and required by it
 * in node; none is typed here. Only the model's equations and the conditions that join two
 * parameters (α_E ≤ α_R, α_R > 1 − λ) are ported by hand.
 *
 * The explorer has one electoral parameter, bΨ. The exit thresholds depend on the product
 * only; Lemma 1's win probability needs b alone, so the explorer holds Ψ = 1 (b = bΨ) and
 * the individual-shock density m = 1, as model.ModelParams does by default.
 */
(function (root, factory) {
  "use strict";
  var node = typeof module !== "undefined" && module.exports;
  var presets = node ? require("../generated/explorer_presets.js") : root.BACKLASH_EXPLORER_PRESETS;
  var api = factory(presets);
  if (node) {
    module.exports = api;
  } else {
    root.BacklashExplorer = api;
    if (typeof document !== "undefined") {
      var start = function () {
        var host = document.getElementById("backlash-explorer");
        if (host) api.mount(host, presets);
      };
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
      else start();
    }
  }
})(typeof self !== "undefined" ? self : this, function (presets) {
  "use strict";

  // ------------------------------------------------------------------ the model
  var CALIBRATIONS = ["equations", "reported"];
  var NEWTON_MAX_ITER = 100;
  var NEWTON_ATOL = 4e-15; // the same stopping rule as model._solve_share
  // The explorer's parameters, in order: key, symbol (text), words (label), slider range and step, domain.
  var PARAMETERS = (presets && presets.parameters) || [];
  var PARAMS = PARAMETERS.map(function (q) { return q.key; });

  /** Weights (k_theta, k_phi) of the electoral terms: bΨ in both, halved in Prop. 1 under "reported". */
  function electoralWeights(bPsi, calibration) {
    if (CALIBRATIONS.indexOf(calibration) < 0) {
      throw new Error("calibration must be one of equations, reported (got " + calibration + ")");
    }
    return [calibration === "reported" ? bPsi / 2 : bPsi, bPsi];
  }

  /**
   * Proposition 1: the unique root in (0, 1) of
   *   g(θ) = θ³ − (1+s)θ² + (s−k)θ + k(1−λ),  s = x_d + α_a,  k = the Prop. 1 weight,
   * by the bracketed Newton iteration of model._solve_share (same start, bracket and stop).
   */
  function solveShare(s, k, lam) {
    var oneMinusLam = 1 - lam;
    var lo = Math.min(oneMinusLam, s);
    var hi = Math.min(Math.max(oneMinusLam, s), 1);
    var theta = oneMinusLam + (s - oneMinusLam) / (1 + k / (lam * oneMinusLam));
    theta = Math.min(Math.max(theta, lo), hi);
    var c2 = -(1 + s), c1 = s - k, c0 = k * oneMinusLam;
    for (var i = 0; i < NEWTON_MAX_ITER; i++) {
      var g = ((theta + c2) * theta + c1) * theta + c0;
      var dg = (3 * theta + 2 * c2) * theta + c1;
      if (g > 0) lo = theta; else hi = theta; // g > 0 left of the root
      var next = theta - g / dg;
      if (!(next >= lo && next <= hi)) next = 0.5 * (lo + hi);
      var step = Math.abs(theta - next);
      theta = next;
      if (step <= NEWTON_ATOL) break;
    }
    return theta;
  }

  /** θ*_da for a leader of bias x under status-quo share alpha (Proposition 1). */
  function equilibriumShare(alpha, x, lam, bPsi, calibration) {
    return solveShare(x + alpha, electoralWeights(bPsi, calibration)[0], lam);
  }

  /**
   * Proposition 2 with the reputational cost: log γ_d = −[½((x+α_E−θ_E)² − (x+α_R−θ_R)²) + c]/(bΨ)
   *   − (1−λ) log(θ_R/θ_E) − λ log((1−θ_R)/(1−θ_E)).
   */
  function exitThreshold(alphaR, alphaE, x, lam, bPsi, c, calibration) {
    var k = electoralWeights(bPsi, calibration);
    var thetaR = solveShare(x + alphaR, k[0], lam);
    var thetaE = solveShare(x + alphaE, k[0], lam);
    var ideological = 0.5 * (Math.pow(x + alphaE - thetaE, 2) - Math.pow(x + alphaR - thetaR, 2));
    var electoral = (1 - lam) * Math.log(thetaR / thetaE) + lam * Math.log((1 - thetaR) / (1 - thetaE));
    return Math.exp(-(ideological + c) / k[1] - electoral);
  }

  /** What a parameter's domain asks, in words: "lie strictly between 0 and 1", "be positive". */
  function domainWords(q) {
    if (q.lower !== null && q.upper !== null) {
      if (q.lower_open && q.upper_open) return "lie strictly between " + q.lower + " and " + q.upper;
      return "lie in " + (q.lower_open ? "(" : "[") + q.lower + ", " + q.upper + (q.upper_open ? ")" : "]");
    }
    if (q.lower !== null) {
      if (q.lower_open) return q.lower === 0 ? "be positive" : "exceed " + q.lower;
      return "be at least " + q.lower;
    }
    return q.upper_open ? "be below " + q.upper : "be at most " + q.upper;
  }

  /**
   * The parameter point's domain errors, keyed by parameter (empty object when valid).
   * Each parameter's own domain is the one model.ModelParams declares (from the presets), with
   * b = bΨ and Ψ = 1; the conditions that join two parameters are those of model._JOINT.
   */
  function validate(p) {
    var errors = {};
    PARAMETERS.forEach(function (q) {
      var v = p[q.key];
      if (typeof v !== "number" || !isFinite(v)) {
        errors[q.key] = "enter a number";
        return;
      }
      var low = q.lower === null || (q.lower_open ? v > q.lower : v >= q.lower);
      var high = q.upper === null || (q.upper_open ? v < q.upper : v <= q.upper);
      if (!(low && high)) errors[q.key] = q.text + " must " + domainWords(q) + (q.note ? " (" + q.note + ")" : "");
    });
    var ok = function (key) { return !(key in errors); };
    if (ok("alpha_r") && ok("lam") && !(p.alpha_r > 1 - p.lam)) {
      errors.alpha_r = "α_R must exceed 1 − λ = " + fmt(1 - p.lam, 3) +
        " (winners are richer under globalization)";
    }
    if (ok("alpha_e") && ok("alpha_r") && !(p.alpha_e <= p.alpha_r)) {
      errors.alpha_e = "α_E must not exceed α_R = " + fmt(p.alpha_r, 3) + " (exit does not raise winners' share)";
    }
    if (CALIBRATIONS.indexOf(p.calibration) < 0) errors.calibration = "calibration must be equations or reported";
    return errors;
  }

  /**
   * The equilibrium at one point (model.outcome with b = bΨ, Ψ = 1, m = 1): the four shares,
   * both thresholds, the actions, D*_w and D*_ℓ at the equilibrium actions, π (Lemma 1), the
   * group vote shares at the pivotal shock and whether Lemma 1 holds, the regime
   * (0 both remain, 1 only H exits, 2 both exit, 3 only L exits) and full realignment.
   */
  function outcome(p) {
    var lam = p.lam, b = p.b_psi, m = 1;
    var share = function (alpha, x) { return equilibriumShare(alpha, x, lam, p.b_psi, p.calibration); };
    var thetaLR = share(p.alpha_r, 0), thetaLE = share(p.alpha_e, 0);
    var thetaHR = share(p.alpha_r, p.x_h), thetaHE = share(p.alpha_e, p.x_h);
    var gammaL = exitThreshold(p.alpha_r, p.alpha_e, 0, lam, p.b_psi, p.c, p.calibration);
    var gammaH = exitThreshold(p.alpha_r, p.alpha_e, p.x_h, lam, p.b_psi, p.c, p.calibration);
    var exitL = p.gamma <= gammaL, exitH = p.gamma <= gammaH;
    var thetaL = exitL ? thetaLE : thetaLR, thetaH = exitH ? thetaHE : thetaHR;
    var sizeL = exitL ? 1 : p.gamma, sizeH = exitH ? 1 : p.gamma;
    var dW = Math.log(sizeL * thetaL) - Math.log(sizeH * thetaH);
    var dL = Math.log(sizeL * (1 - thetaL)) - Math.log(sizeH * (1 - thetaH));
    var pi = 0.5 + b * ((1 - lam) * dW + lam * dL);
    var betaStar = -((1 - lam) * dW + lam * dL);
    var shareW = 0.5 + m * (dW + betaStar), shareL = 0.5 + m * (dL + betaStar);
    var inUnit = function (v) { return v >= 0 && v <= 1; };
    var regime = exitL && exitH ? 2 : exitH ? 1 : exitL ? 3 : 0;
    return {
      theta_lr: thetaLR, theta_le: thetaLE, theta_hr: thetaHR, theta_he: thetaHE,
      gamma_l: gammaL, gamma_h: gammaH, exit_l: exitL, exit_h: exitH,
      d_w: dW, d_l: dL, pi: pi, share_w: shareW, share_l: shareL,
      lemma1_ok: inUnit(pi) && inUnit(shareW) && inUnit(shareL),
      regime: regime, full_realignment: regime === 1 && dW > 0 && dL < 0
    };
  }

  /**
   * The α_R at which `leader` ("L" or "H") switches to exit at the point's γ (Corollary 3:
   * γ_d rises in α_R), as model.switch_alpha_r: the root of log γ_d(α_R) − log γ on
   * (max(1−λ, α_E), 1], found by bisection to 1e-14; null when the leader never or always exits.
   */
  function switchAlphaR(leader, p) {
    var x = leader === "L" ? 0 : p.x_h;
    var f = function (a) {
      return Math.log(exitThreshold(a, p.alpha_e, x, p.lam, p.b_psi, p.c, p.calibration)) - Math.log(p.gamma);
    };
    var lo = Math.max(1 - p.lam, p.alpha_e) + 1e-12, hi = 1;
    if (f(lo) > 0 || f(hi) < 0) return null;
    for (var i = 0; i < 200 && hi - lo > 1e-14; i++) {
      var mid = 0.5 * (lo + hi);
      if (f(mid) < 0) lo = mid; else hi = mid;
    }
    return 0.5 * (lo + hi);
  }

  /** α_R/(1−α_R), the figures' axis, and its inverse. */
  function inequalityRatio(alphaR) { return alphaR / (1 - alphaR); }
  function alphaFromRatio(ratio) { return ratio / (1 + ratio); }

  /** numpy.linspace(start, stop, n): start + i·step, the last point exactly stop. */
  function linspace(start, stop, n) {
    var out = new Array(n), step = (stop - start) / (n - 1);
    for (var i = 0; i < n; i++) out[i] = i * step + start;
    out[n - 1] = stop;
    return out;
  }

  /** Lowest ratio on the curves: α_R just above max(1−λ, α_E) (exhibits.model._ratio_floor). */
  function ratioFloor(p, grid) {
    return inequalityRatio(Math.max(1 - p.lam, p.alpha_e) + grid.floor_offset);
  }

  /** Right end of both axes: the figures' own end, widened to show an α_R beyond it. */
  function ratioMax(p, grid) {
    var top = grid.ratio_max, floor = ratioFloor(p, grid);
    var current = inequalityRatio(Math.min(p.alpha_r, 0.99));
    if (current > top) top = Math.ceil(current * 1.1);
    if (floor >= top) top = Math.ceil(floor * 1.5 + 1);
    return top;
  }

  /** Figure 2 at the point's λ, α_E, x_H, bΨ, c (exhibits.model.threshold_curves). */
  function thresholdCurves(p, grid) {
    var ratio = linspace(ratioFloor(p, grid), ratioMax(p, grid), grid.figure2_n);
    var alphaR = ratio.map(alphaFromRatio);
    return {
      inequality: ratio, alpha_r: alphaR,
      gamma_l: alphaR.map(function (a) { return exitThreshold(a, p.alpha_e, 0, p.lam, p.b_psi, p.c, p.calibration); }),
      gamma_h: alphaR.map(function (a) { return exitThreshold(a, p.alpha_e, p.x_h, p.lam, p.b_psi, p.c, p.calibration); })
    };
  }

  /** Figure 3 at the point's γ (exhibits.model.realignment_curves): D*_w, D*_ℓ, π, regime, segment. */
  function realignmentCurves(p, grid) {
    var lo = Math.max(grid.figure3_ratio_min, ratioFloor(p, grid));
    var ratio = linspace(lo, ratioMax(p, grid), grid.figure3_n);
    var out = { inequality: ratio, alpha_r: [], regime: [], segment: [], d_w: [], d_l: [], pi: [], lemma1_ok: [] };
    var segment = 0;
    ratio.forEach(function (r, i) {
      var q = {}, key;
      for (key in p) q[key] = p[key];
      q.alpha_r = alphaFromRatio(r);
      var o = outcome(q);
      if (i > 0 && o.regime !== out.regime[i - 1]) segment += 1;
      out.alpha_r.push(q.alpha_r);
      out.regime.push(o.regime);
      out.segment.push(segment);
      out.d_w.push(o.d_w);
      out.d_l.push(o.d_l);
      out.pi.push(o.pi);
      out.lemma1_ok.push(o.lemma1_ok);
    });
    return out;
  }

  /** Everything the explorer shows at one point, or the domain errors when it is invalid. */
  function evaluate(p, grid) {
    var errors = validate(p);
    if (Object.keys(errors).length) return { valid: false, errors: errors };
    var point = outcome(p);
    var switches = { alpha_r_h: switchAlphaR("H", p), alpha_r_l: switchAlphaR("L", p) };
    var result = { valid: true, errors: {}, point: point, switches: switches };
    if (grid) {
      result.figure2 = thresholdCurves(p, grid);
      result.figure3 = realignmentCurves(p, grid);
    }
    var numbers = [point.gamma_l, point.gamma_h, point.d_w, point.d_l, point.pi];
    if (grid) numbers = numbers.concat(result.figure2.gamma_l, result.figure2.gamma_h);
    if (!numbers.every(isFinite)) {
      return { valid: false, errors: { b_psi: "the thresholds overflow at this bΨ: raise bΨ or lower c" } };
    }
    return result;
  }

  function fmt(v, digits) {
    if (v === null || v === undefined) return "—";
    if (typeof v === "boolean") return v ? "yes" : "no";
    if (!isFinite(v)) return String(v);
    return v.toFixed(digits);
  }

  // ------------------------------------------------------------------ the page
  var SVG = "http://www.w3.org/2000/svg";
  var SLIDERS = PARAMETERS.map(function (q) {
    return { key: q.key, label: q.text + ", " + q.label, min: q.min, max: q.max, step: q.step };
  });
  var REGIMES = { 0: "both remain", 1: "H exits, L remains", 2: "both exit", 3: "L exits, H remains" };
  var COLORS = { L: "#1b4f8a", H: "#b2182b", w: "#1b4f8a", l: "#b2182b", gamma: "#222" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** At most `most` round tick values covering [lo, hi]. */
  function ticks(lo, hi, most) {
    var span = hi - lo, mag = Math.pow(10, Math.floor(Math.log10(span / most)));
    var step = [1, 2, 2.5, 5, 10, 20].map(function (f) { return f * mag; }).find(function (s) { return span / s <= most; });
    var out = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return out;
  }

  function tickLabel(v) { return Math.abs(v) >= 1e5 ? v.toExponential(1) : String(Number(v.toPrecision(6))); }

  /**
   * Draw a line chart into `svg`: spec.lines (x, y arrays, colour, dash, label; `segments`
   * splits a line at jumps), spec.hlines/vlines, spec.marks (x, y, label), axis labels.
   */
  function drawChart(svg, spec) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    // Drawn at the width it is shown at, so that text keeps its size on a phone.
    var shown = svg.getBoundingClientRect ? Math.round(svg.getBoundingClientRect().width) : 0;
    var W = Math.max(280, Math.min(760, shown || 640));
    var H = Math.round(Math.max(260, Math.min(400, W * 0.62))) + 18 * spec.lines.length;
    var L = 72, R = 12, T = 12 + 18 * spec.lines.length, B = 46;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    var sx = function (x) { return L + (x - spec.xlim[0]) / (spec.xlim[1] - spec.xlim[0]) * (W - L - R); };
    var sy = function (y) { return T + (spec.ylim[1] - y) / (spec.ylim[1] - spec.ylim[0]) * (H - T - B); };
    var clipId = svg.id + "-clip";
    var defs = svgEl("defs");
    var clip = svgEl("clipPath", { id: clipId });
    clip.appendChild(svgEl("rect", { x: L, y: T, width: W - L - R, height: H - T - B }));
    defs.appendChild(clip);
    svg.appendChild(defs);
    svg.appendChild(svgEl("title", {}, spec.title));
    var axes = svgEl("g", { class: "axes" });
    ticks(spec.xlim[0], spec.xlim[1], W < 420 ? 4 : 6).forEach(function (t) {
      axes.appendChild(svgEl("line", { x1: sx(t), x2: sx(t), y1: H - B, y2: H - B + 5, stroke: "#444" }));
      axes.appendChild(svgEl("text", { x: sx(t), y: H - B + 18, "text-anchor": "middle" }, tickLabel(t)));
    });
    ticks(spec.ylim[0], spec.ylim[1], 6).forEach(function (t) {
      axes.appendChild(svgEl("line", { x1: L - 5, x2: W - R, y1: sy(t), y2: sy(t), stroke: t === 0 ? "#888" : "#e4e4e4" }));
      axes.appendChild(svgEl("text", { x: L - 8, y: sy(t) + 4, "text-anchor": "end" }, tickLabel(t)));
    });
    axes.appendChild(svgEl("rect", { x: L, y: T, width: W - L - R, height: H - T - B, fill: "none", stroke: "#444" }));
    axes.appendChild(svgEl("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle", class: "axis-label" }, spec.xlabel));
    axes.appendChild(svgEl("text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", class: "axis-label",
      transform: "rotate(-90 14 " + (T + H - B) / 2 + ")" }, W < 420 ? spec.ylabelShort : spec.ylabel));
    svg.appendChild(axes);
    var plot = svgEl("g", { "clip-path": "url(#" + clipId + ")" });
    (spec.fills || []).forEach(function (f) {
      var top = f.x.map(function (x, i) { return sx(x).toFixed(2) + "," + sy(f.upper[i]).toFixed(2); });
      var bottom = f.x.map(function (x, i) { return sx(x).toFixed(2) + "," + sy(f.lower[i]).toFixed(2); }).reverse();
      plot.appendChild(svgEl("polygon", { points: top.concat(bottom).join(" "), fill: f.color, stroke: "none" }));
      if (f.label) plot.appendChild(svgEl("title", {}, f.label));
    });
    (spec.vlines || []).forEach(function (v) {
      plot.appendChild(svgEl("line", { x1: sx(v.x), x2: sx(v.x), y1: T, y2: H - B, stroke: v.color || "#777",
        "stroke-dasharray": v.dash || "3 3", "stroke-width": 1 }));
      if (v.label) plot.appendChild(svgEl("text", { x: sx(v.x) + 4, y: T + 14 + (v.row || 0) * 14, class: "note" }, v.label));
    });
    (spec.hlines || []).forEach(function (h) {
      plot.appendChild(svgEl("line", { x1: L, x2: W - R, y1: sy(h.y), y2: sy(h.y), stroke: h.color || "#222",
        "stroke-dasharray": h.dash || "6 3", "stroke-width": 1.2 }));
      if (h.label) plot.appendChild(svgEl("text", { x: W - R - 4, y: sy(h.y) - 5, "text-anchor": "end", class: "note" }, h.label));
    });
    spec.lines.forEach(function (line) {
      var pieces = {};
      line.x.forEach(function (x, i) {
        var s = line.segments ? line.segments[i] : 0;
        (pieces[s] = pieces[s] || []).push(sx(x).toFixed(2) + "," + sy(line.y[i]).toFixed(2));
      });
      Object.keys(pieces).forEach(function (s) {
        plot.appendChild(svgEl("polyline", { points: pieces[s].join(" "), fill: "none", stroke: line.color,
          "stroke-width": 2, "stroke-dasharray": line.dash || "none" }));
      });
    });
    (spec.marks || []).forEach(function (m) {
      plot.appendChild(svgEl("circle", { cx: sx(m.x), cy: sy(m.y), r: 4.5, fill: m.color || "#000" }));
    });
    svg.appendChild(plot);
    var legend = svgEl("g", { class: "legend" }); // above the plot, one line each
    spec.lines.forEach(function (line, i) {
      var y = 14 + i * 18;
      legend.appendChild(svgEl("line", { x1: L, x2: L + 26, y1: y - 4, y2: y - 4, stroke: line.color,
        "stroke-width": 2, "stroke-dasharray": line.dash || "none" }));
      legend.appendChild(svgEl("text", { x: L + 32, y: y }, line.label));
    });
    svg.appendChild(legend);
  }

  function parseHash(hash) {
    var out = {};
    hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv.length !== 2) return;
      var key = decodeURIComponent(kv[0]), value = decodeURIComponent(kv[1]);
      if (key === "calibration") out.calibration = value;
      else if (PARAMS.indexOf(key) >= 0) out[key] = value.trim() === "" ? NaN : Number(value);
    });
    return out;
  }

  function formatHash(p) {
    return "#" + PARAMS.map(function (k) { return k + "=" + String(p[k]); }).join("&") +
      "&calibration=" + encodeURIComponent(p.calibration);
  }

  function copyPreset(preset) {
    var out = {};
    PARAMS.concat(["calibration"]).forEach(function (k) { out[k] = preset[k]; });
    return out;
  }

  /** Build the explorer inside `host` (the raw-HTML block's <div id="backlash-explorer">). */
  function mount(host, presets) {
    if (!presets) {
      host.textContent = "The explorer's parameter presets did not load (paper/generated/explorer_presets.js).";
      return null;
    }
    var grid = presets.grid;
    var defaults = copyPreset(presets.presets[presets.default]);
    var state = copyPreset(defaults);
    var lastGood = null;
    host.innerHTML = "";
    host.classList.add("bx");

    var controls = el("div", { class: "bx-controls" });
    var inputs = {};
    SLIDERS.forEach(function (s) {
      var row = el("div", { class: "bx-row" });
      var id = "bx-" + s.key;
      row.appendChild(el("label", { for: id + "-num", id: id + "-label" }, s.label));
      var range = el("input", { type: "range", id: id, min: s.min, max: s.max, step: s.step,
        "aria-labelledby": id + "-label", "aria-describedby": id + "-msg" });
      var num = el("input", { type: "number", id: id + "-num", step: "any", inputmode: "decimal",
        "aria-describedby": id + "-msg" });
      var msg = el("p", { class: "bx-msg", id: id + "-msg", "aria-live": "polite" });
      range.addEventListener("input", function () { state[s.key] = Number(range.value); update(true, range); });
      num.addEventListener("input", function () {
        state[s.key] = num.value.trim() === "" ? NaN : Number(num.value);
        update(true, num);
      });
      var pair = el("div", { class: "bx-pair" });
      pair.appendChild(range);
      pair.appendChild(num);
      row.appendChild(pair);
      row.appendChild(msg);
      controls.appendChild(row);
      inputs[s.key] = { range: range, num: num, msg: msg, row: row };
    });
    var cal = el("fieldset", { class: "bx-row bx-cal" });
    cal.appendChild(el("legend", {}, "Calibration"));
    var calInputs = {};
    [["equations", "equations as printed"], ["reported", "reported (bΨ halved in Prop. 1)"]].forEach(function (c) {
      var label = el("label");
      var radio = el("input", { type: "radio", name: "bx-calibration", value: c[0], id: "bx-cal-" + c[0] });
      radio.addEventListener("change", function () { if (radio.checked) { state.calibration = c[0]; update(true); } });
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + c[1]));
      cal.appendChild(label);
      calInputs[c[0]] = radio;
    });
    var calMsg = el("p", { class: "bx-msg", id: "bx-calibration-msg", "aria-live": "polite" });
    cal.appendChild(calMsg);
    controls.appendChild(cal);
    var buttons = el("div", { class: "bx-row bx-buttons" });
    Object.keys(presets.presets).forEach(function (name) {
      var b = el("button", { type: "button", id: "bx-reset-" + name }, "Reset to " + presets.presets[name].label);
      b.addEventListener("click", function () { state = copyPreset(presets.presets[name]); update(true); });
      buttons.appendChild(b);
    });
    controls.appendChild(buttons);
    host.appendChild(controls);

    var banner = el("p", { class: "bx-banner", id: "bx-banner", role: "status", "aria-live": "polite" });
    host.appendChild(banner);
    var fig2 = svgEl("svg", { id: "bx-figure2", role: "img",
      "aria-label": "Exit thresholds against inequality at the chosen parameters" });
    var fig3 = svgEl("svg", { id: "bx-figure3", role: "img",
      "aria-label": "Vote differences against inequality at the chosen gamma" });
    var f2 = el("figure", { class: "bx-figure" });
    f2.appendChild(fig2);
    f2.appendChild(el("figcaption", {}, "Exit thresholds γ_L and γ_H (as in Figure 2) at the chosen λ, α_E, x_H, bΨ " +
      "and c; the dashed line is the chosen γ and the dot the chosen α_R. Both leaders exit below γ_L " +
      "(blue shade), only H between the curves (red shade), neither above γ_H."));
    var f3 = el("figure", { class: "bx-figure" });
    f3.appendChild(fig3);
    f3.appendChild(el("figcaption", {}, "Vote differences D*_w and D*_ℓ (as in Figure 3) at the chosen γ; " +
      "positive values favour L. Dotted lines mark where H, then L, switches to exit; the dashed line is the chosen α_R."));
    var figs = el("div", { class: "bx-figures" });
    figs.appendChild(f2);
    figs.appendChild(f3);
    host.appendChild(figs);
    var tableWrap = el("div", { class: "bx-table-wrap" });
    var table = el("table", { class: "bx-table", id: "bx-table" });
    table.appendChild(el("caption", {}, "The equilibrium at the chosen point"));
    var tbody = el("tbody");
    table.appendChild(tbody);
    tableWrap.appendChild(table);
    host.appendChild(tableWrap);
    var data = el("script", { type: "application/json", id: "bx-data" });
    host.appendChild(data);

    var ROWS = [
      ["theta_lr", "θ*_LR, L's share for winners if remaining"],
      ["theta_le", "θ*_LE, L's share for winners after exit"],
      ["theta_hr", "θ*_HR, H's share for winners if remaining"],
      ["theta_he", "θ*_HE, H's share for winners after exit"],
      ["gamma_l", "γ_L, L's exit threshold"],
      ["gamma_h", "γ_H, H's exit threshold"],
      ["action_l", "L's action at the chosen γ"],
      ["action_h", "H's action at the chosen γ"],
      ["regime", "regime"],
      ["d_w", "D*_w, winners' utility difference (L − H)"],
      ["d_l", "D*_ℓ, losers' utility difference (L − H)"],
      ["pi", "π, probability that L wins (Lemma 1)"],
      ["realignment", "full realignment (winners back L, losers H)"],
      ["switch_h", "α_R where H switches to exit (ratio)"],
      ["switch_l", "α_R where L switches to exit (ratio)"]
    ];
    var cells = {};
    ROWS.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, r[1]));
      cells[r[0]] = el("td", { "data-key": r[0] });
      tr.appendChild(cells[r[0]]);
      tbody.appendChild(tr);
    });
    var warning = el("p", { class: "bx-warning", id: "bx-warning", role: "status", "aria-live": "polite" });
    host.appendChild(warning);

    function showInputs(skip) {
      SLIDERS.forEach(function (s) {
        var v = state[s.key], io = inputs[s.key];
        if (io.range !== skip && isFinite(v)) io.range.value = String(v);
        if (io.num !== skip) io.num.value = isFinite(v) ? String(v) : "";
      });
      Object.keys(calInputs).forEach(function (c) { calInputs[c].checked = state.calibration === c; });
    }

    function switchText(a) {
      return a === null ? "none on (max(1 − λ, α_E), 1]" : fmt(a, 6) + " (" + fmt(inequalityRatio(a), 4) + ")";
    }

    function render(p, r) {
      var o = r.point;
      ["theta_lr", "theta_le", "theta_hr", "theta_he", "gamma_l", "gamma_h", "d_w", "d_l", "pi"].forEach(function (k) {
        cells[k].textContent = fmt(o[k], 6);
      });
      cells.action_l.textContent = o.exit_l ? "exit (γ ≤ γ_L)" : "remain (γ > γ_L)";
      cells.action_h.textContent = o.exit_h ? "exit (γ ≤ γ_H)" : "remain (γ > γ_H)";
      cells.regime.textContent = REGIMES[o.regime];
      cells.realignment.textContent = o.full_realignment ? "yes" : "no";
      cells.switch_h.textContent = switchText(r.switches.alpha_r_h);
      cells.switch_l.textContent = switchText(r.switches.alpha_r_l);
      var notes = [];
      if (!(o.pi >= 0 && o.pi <= 1)) {
        notes.push("Lemma 1: π = " + fmt(o.pi, 4) + " lies outside [0, 1], so the linear win probability is not a " +
          "probability here (b = bΨ is too large for these vote differences).");
      }
      [["winners", o.share_w], ["losers", o.share_l]].forEach(function (g) {
        if (!(g[1] >= 0 && g[1] <= 1)) {
          notes.push("Lemma 1: the share of " + g[0] + " voting for L at the pivotal shock is " + fmt(g[1], 4) +
            ", outside [0, 1].");
        }
      });
      if (p.calibration === "reported" && o.gamma_l > o.gamma_h) {
        notes.push("Reported calibration: γ_L > γ_H here, so Proposition 2's ranking fails.");
      }
      warning.textContent = notes.join(" ");
      warning.hidden = notes.length === 0;

      var c2 = r.figure2, top = Math.max(Math.max.apply(null, c2.gamma_h), Math.max.apply(null, c2.gamma_l), p.gamma);
      // α_R = 1 has an infinite ratio: mark it at the right edge of the axis
      var ratioNow = Math.min(inequalityRatio(p.alpha_r), c2.inequality[c2.inequality.length - 1]);
      drawChart(fig2, {
        title: "Exit thresholds", xlim: [c2.inequality[0], c2.inequality[c2.inequality.length - 1]],
        ylim: [1, top > 1 ? top + 0.12 * (top - 1) : 1.1],
        xlabel: "ex-ante inequality, α_R / (1 − α_R)", ylabel: "size of the globalized economy, γ", ylabelShort: "γ",
        lines: [
          { x: c2.inequality, y: c2.gamma_l, color: COLORS.L, label: "γ_L (low-bias leader L)" },
          { x: c2.inequality, y: c2.gamma_h, color: COLORS.H, dash: "2 3", label: "γ_H (high-bias leader H)" }
        ],
        fills: [
          { x: c2.inequality, lower: c2.gamma_l.map(function () { return 1; }), upper: c2.gamma_l, color: "#dde6f2",
            label: "both exit (γ ≤ γ_L)" },
          { x: c2.inequality, lower: c2.gamma_l, upper: c2.gamma_h, color: "#f6e3e3", label: "only H exits" }
        ],
        hlines: [{ y: p.gamma, label: "γ = " + tickLabel(p.gamma), color: COLORS.gamma }],
        vlines: [{ x: ratioNow, color: "#999", dash: "1 3" }],
        marks: [{ x: ratioNow, y: p.gamma, color: COLORS.gamma }]
      });
      var c3 = r.figure3, ymax = 0;
      c3.d_w.concat(c3.d_l).forEach(function (v) { ymax = Math.max(ymax, Math.abs(v)); });
      ymax = ymax > 0 ? ymax * 1.25 : 1;
      var vlines = [{ x: ratioNow, color: "#999", dash: "6 3" }];
      [["H", r.switches.alpha_r_h, 0], ["L", r.switches.alpha_r_l, 1]].forEach(function (s) {
        if (s[1] !== null) vlines.push({ x: inequalityRatio(s[1]), dash: "2 2", label: s[0] + " exits", row: s[2] });
      });
      drawChart(fig3, {
        title: "Vote differences", xlim: [c3.inequality[0], c3.inequality[c3.inequality.length - 1]],
        ylim: [-ymax, ymax], xlabel: "ex-ante inequality, α_R / (1 − α_R)", ylabel: "utility difference, L − H",
        ylabelShort: "L − H",
        lines: [
          { x: c3.inequality, y: c3.d_w, segments: c3.segment, color: COLORS.w, label: "D*_w (winners)" },
          { x: c3.inequality, y: c3.d_l, segments: c3.segment, color: COLORS.l, dash: "7 4", label: "D*_ℓ (losers)" }
        ],
        vlines: vlines
      });
    }

    function update(fromUser, skip) {
      var r = evaluate(state, grid);
      SLIDERS.forEach(function (s) {
        var m = r.errors[s.key] || "";
        inputs[s.key].msg.textContent = m;
        inputs[s.key].row.classList.toggle("bx-invalid", !!m);
        inputs[s.key].num.setAttribute("aria-invalid", m ? "true" : "false");
      });
      calMsg.textContent = r.errors.calibration || "";
      showInputs(skip);
      if (r.valid) {
        lastGood = { params: copyPreset(state), result: r };
        render(state, r);
        banner.textContent = "";
        banner.hidden = true;
      } else {
        if (!lastGood) {
          var d = evaluate(defaults, grid);
          lastGood = { params: copyPreset(defaults), result: d };
          render(defaults, d);
        }
        banner.textContent = "The figures and the table still show the last valid point: correct the marked " +
          "parameter" + (Object.keys(r.errors).length > 1 ? "s" : "") + ".";
        banner.hidden = false;
      }
      data.textContent = JSON.stringify({ params: state, valid: r.valid, errors: r.errors,
        shown: lastGood.params, result: lastGood.result });
      if (fromUser && typeof history !== "undefined" && history.replaceState) {
        history.replaceState(null, "", formatHash(state));
      }
    }

    function loadHash(scroll) {
      var h = parseHash(location.hash);
      if (!Object.keys(h).length) return false;
      state = copyPreset(defaults);
      for (var k in h) state[k] = h[k];
      update(false);
      if (scroll) {
        // A shared view opens at the explorer; wait for the figures above it to take their size.
        if (document.readyState === "complete") host.scrollIntoView();
        else window.addEventListener("load", function () { host.scrollIntoView(); });
      }
      return true;
    }

    // Where the explorer sits on the page, for tests that screenshot it (layout settles on "load").
    function recordLayout() {
      var box = host.getBoundingClientRect();
      host.setAttribute("data-layout", JSON.stringify({ top: Math.round(box.top + window.scrollY),
        left: Math.round(box.left + window.scrollX), width: Math.round(box.width), height: Math.round(box.height),
        scroll_width: host.scrollWidth, client_width: host.clientWidth }));
    }
    window.addEventListener("load", recordLayout);
    var resizing = false;
    window.addEventListener("resize", function () {
      if (resizing) return;
      resizing = true;
      window.requestAnimationFrame(function () { resizing = false; render(lastGood.params, lastGood.result); recordLayout(); });
    });
    window.addEventListener("hashchange", function () { loadHash(true); });
    if (!loadHash(true)) update(false);
    return { state: function () { return state; }, update: update };
  }

  return {
    CALIBRATIONS: CALIBRATIONS, PARAMETERS: PARAMETERS, PARAMS: PARAMS,
    electoralWeights: electoralWeights, solveShare: solveShare, equilibriumShare: equilibriumShare,
    exitThreshold: exitThreshold, validate: validate, outcome: outcome, switchAlphaR: switchAlphaR,
    inequalityRatio: inequalityRatio, alphaFromRatio: alphaFromRatio, linspace: linspace,
    thresholdCurves: thresholdCurves, realignmentCurves: realignmentCurves, evaluate: evaluate,
    parseHash: parseHash, formatHash: formatHash, mount: mount
  };
});
