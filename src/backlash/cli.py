"""The ``backlash`` command line.

Subcommands
-----------
fetch   obtain the raw inputs listed in data/sources.toml and verify their sha256
model   solve the model at one parameter point (table or ``--json``)
paper   render paper/paper.qmd to PDF and HTML (Quarto when installed, else the fallback)

Errors in what the user typed exit with status 2 and one line naming the
parameter and the condition; data errors exit with status 1 and a message that
says what to do.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from . import paths


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad input on one line (``backlash <cmd>: error: ...``)."""

    def error(self, message: str):  # pragma: no cover - exercised through the CLI tests
        self.exit(2, f"{self.prog}: error: {message}\n")


def _finite(name: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number (got {text!r})") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{name} must be finite (got {text!r})")
        return value

    return parse


# --------------------------------------------------------------------------- fetch
def _cmd_fetch(args) -> int:
    from .sources import ChecksumError, FetchError, fetch_all, load_manifest

    mirror = paths.data_mirror()
    try:
        sources = load_manifest(paths.SOURCES_MANIFEST)
        origins = fetch_all(sources, paths.RAW, mirror, allow_download=not args.offline)
    except (ChecksumError, FetchError, FileNotFoundError, ValueError) as exc:
        print(f"backlash fetch: {exc}", file=sys.stderr)
        return 1
    counts = {o: sum(v == o for v in origins.values()) for o in ("present", "mirror", "download")}
    print(f"verified {len(origins)} raw files in {paths.RAW.relative_to(paths.ROOT)} "
          f"({counts['present']} present, {counts['mirror']} from mirror, {counts['download']} downloaded)")
    return 0


# --------------------------------------------------------------------------- model
def _format_table(eq) -> str:
    p = eq.params
    lines = [
        f"parameters: lam={p.lam:g} alpha_r={p.alpha_r:g} alpha_e={p.alpha_e:g} x_h={p.x_h:g} "
        f"b={p.b:g} psi={p.psi:g} gamma={p.gamma:g} c={p.c:g} m={p.m:g} calibration={p.calibration}",
        "",
        "equilibrium shares for winners (Prop. 1)",
        f"  {'':<10}{'remain R':>12}{'exit E':>12}",
        f"  {'L (x=0)':<10}{eq.theta['LR']:>12.6f}{eq.theta['LE']:>12.6f}",
        f"  {'H':<10}{eq.theta['HR']:>12.6f}{eq.theta['HE']:>12.6f}",
        "",
        "exit thresholds (Prop. 2): a leader exits when gamma <= gamma_d",
        f"  gamma_L = {eq.gamma_threshold['L']:.6f}   action L = {eq.action['L']}",
        f"  gamma_H = {eq.gamma_threshold['H']:.6f}   action H = {eq.action['H']}",
        "",
        "vote differences at the equilibrium actions (Prop. 3); > 0 favours L",
        f"  D_w* = {eq.D['w']:+.6f}   D_l* = {eq.D['l']:+.6f}",
        f"  probability that L wins (Lemma 1): pi = {eq.pi:.6f}",
    ]
    for w in eq.warnings:
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def _cmd_model(args, parser) -> int:
    from .model import ModelParams, solve

    try:
        params = ModelParams(lam=args.lam, alpha_r=args.alpha_r, alpha_e=args.alpha_e, x_h=args.x_h,
                             b=args.b, psi=args.psi, gamma=args.gamma, c=args.c, m=args.m,
                             calibration=args.calibration)
    except ValueError as exc:
        parser.error(str(exc))
    eq = solve(params)
    if args.json:
        print(json.dumps(eq.to_dict(), sort_keys=True))
    else:
        print(_format_table(eq))
    return 0


# --------------------------------------------------------------------------- paper
def _cmd_paper(args) -> int:
    import time

    from .render import RenderError, render_paper

    t0 = time.perf_counter()
    try:
        renderer = render_paper(paths.PAPER / "paper.qmd", force_fallback=args.fallback)
    except RenderError as exc:
        print(f"backlash paper: {exc}", file=sys.stderr)
        return 1
    print(f"built paper/paper.pdf, paper/paper.html with {renderer} ({time.perf_counter() - t0:.1f} s)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="backlash", description="Replication package for Melnick (2025).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p_fetch = sub.add_parser("fetch", help="obtain and verify the raw inputs (data/sources.toml)")
    p_fetch.add_argument("--offline", action="store_true", help="use data/raw and the mirror only; never download")

    p_model = sub.add_parser("model", help="solve the model at one parameter point",
                             description="Solve the model: shares (Prop. 1), thresholds (Prop. 2), "
                                         "vote differences (Prop. 3) and the win probability (Lemma 1).")
    for flag, default, text in (
        ("--lam", 0.5, "share of globalization losers, 0 < lam < 1"),
        ("--alpha-r", 0.7, "winners' share if the country remains, alpha_r > 1 - lam"),
        ("--alpha-e", 0.4, "winners' share after exit, 0 <= alpha_e <= alpha_r"),
        ("--x-h", 0.125, "ideological bias of the high-bias leader H, > 0"),
        ("--b", 1.0, "density of the common popularity shock, > 0"),
        ("--psi", 1.0, "value of office, > 0"),
        ("--gamma", 1.05, "size of the globalized economy, > 1"),
        ("--c", 0.0, "reputational cost of exit (appendix extension), >= 0"),
        ("--m", 1.0, "density of the individual shocks (Lemma 1 validity check only), > 0"),
    ):
        name = flag[2:].replace("-", "_")
        p_model.add_argument(flag, dest=name, type=_finite(name), default=default, help=f"{text} (default {default:g})")
    p_model.add_argument("--calibration", choices=("equations", "reported"), default="equations",
                         help="'equations': the model as printed; 'reported': reproduces the printed Prop. 3 numbers")
    p_model.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p_model.set_defaults(_parser=p_model)

    p_paper = sub.add_parser("paper", help="render the replication report (PDF and HTML)")
    p_paper.add_argument("--fallback", action="store_true", help="use the pandoc+typst fallback even if quarto is installed")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "fetch":
        return _cmd_fetch(args)
    if args.command == "model":
        return _cmd_model(args, args._parser)
    if args.command == "paper":
        return _cmd_paper(args)
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
