"""The ``backlash`` command line.

Subcommands
-----------
fetch   obtain the raw inputs listed in data/sources.toml and verify their sha256
model   solve the model at one parameter point (table or ``--json``)
paper   render paper/paper.qmd to PDF and HTML (Quarto when installed, else the fallback)

Errors in what the user typed exit with status 2 and one line naming the
parameter as typed (``--x-h``) and the condition; data errors exit with status 1
and a message that says what to do.  ``model`` prints only finite numbers, and a
point and a grid are checked the same way (the model's domains and joint conditions,
the electoral weight b*psi that double precision resolves, and finite results): a
refused point, or a grid with a refused corner, exits with status 2 and one line
before any output.  A grid is streamed in chunks at constant memory; should a point
inside it fail although its corners passed, the output stops there with the same line.  Output cut short
by a closed pipe (``| head``) ends quietly; SIGTERM is handled like Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys

from . import paths
from ._io import os_error_message, terminate_as_interrupt


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad input on one line (``backlash <cmd>: error: ...``)."""

    def error(self, message: str):  # pragma: no cover - exercised through the CLI tests
        self.exit(2, f"{self.prog}: error: {message}\n")


def _finite(name: str):
    def number(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number or a range start:stop:count "
                                             f"(got {text!r})") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{name} must be finite (got {text!r})")
        return value

    def parse(text: str):
        if ":" not in text:
            return number(text)
        parts = text.split(":")
        if len(parts) != 3:
            raise argparse.ArgumentTypeError(f"{name}: a range is start:stop:count, e.g. 0.6:0.9:31 (got {text!r})")
        start, stop = number(parts[0]), number(parts[1])
        try:
            count = int(parts[2])
        except ValueError:
            count = 0
        if not 1 <= count <= 1_000_000:
            raise argparse.ArgumentTypeError(f"{name}: the count of a range must be an integer from 1 to "
                                             f"1,000,000 (got {parts[2]!r})")
        return GridRange(start, stop, count)

    return parse


class GridRange(tuple):
    """``start:stop:count`` from the command line: ``count`` evenly spaced values (``numpy.linspace``)."""

    def __new__(cls, start: float, stop: float, count: int):
        return super().__new__(cls, (start, stop, count))

    def values(self):
        """The range's values.

        Returns
        -------
        ndarray
            ``numpy.linspace(start, stop, count)``.
        """
        import numpy as np

        return np.linspace(self[0], self[1], self[2])


# --------------------------------------------------------------------------- fetch
def _mirror_problem() -> str | None:
    """Why ``BACKLASH_DATA_MIRROR``, when set, cannot be used (it is never ignored silently)."""
    value = os.environ.get("BACKLASH_DATA_MIRROR")
    if not value:
        return None
    if not os.path.isabs(value):
        return (f"BACKLASH_DATA_MIRROR={value!r} is a relative path; give an absolute path to the folder "
                "that holds the raw files (e.g. BACKLASH_DATA_MIRROR=\"$PWD/...\"), or unset it")
    if not os.path.isdir(value):
        return (f"BACKLASH_DATA_MIRROR={value!r} is not a folder; correct the path, or unset it to use "
                f"the default mirror {paths.DEFAULT_MIRROR} or the pinned URLs")
    return None


def _cmd_fetch(args) -> int:
    from .sources import ChecksumError, FetchError, fetch_all, load_manifest

    problem = _mirror_problem()
    if problem:
        print(f"backlash fetch: {problem}", file=sys.stderr)
        return 1
    mirror = paths.data_mirror()
    try:
        sources = load_manifest(paths.SOURCES_MANIFEST)
        origins = fetch_all(sources, paths.RAW, mirror, allow_download=not args.offline)
    except (ChecksumError, FetchError, FileNotFoundError, ValueError) as exc:
        print(f"backlash fetch: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"backlash fetch: {os_error_message(exc)}", file=sys.stderr)
        return 1
    counts = {o: sum(v == o for v in origins.values()) for o in ("present", "mirror", "download")}
    print(f"verified {len(origins)} raw files in {paths.RAW.relative_to(paths.ROOT)} "
          f"({counts['present']} present, {counts['mirror']} from mirror, {counts['download']} downloaded)")
    return 0


# --------------------------------------------------------------------------- model
def _format_table(eq) -> str:
    p = eq.params
    lines = [
        "parameters: " + " ".join(f"{n}={getattr(p, n):g}" for n in _params()) + f" calibration={p.calibration}",
        "",
        "equilibrium shares for winners (Prop. 1)",
        f"  {'':<10}{'remain R':>12}{'exit E':>12}",
        f"  {'L (x=0)':<10}{eq.theta_lr:>12.6f}{eq.theta_le:>12.6f}",
        f"  {'H':<10}{eq.theta_hr:>12.6f}{eq.theta_he:>12.6f}",
        "",
        "exit thresholds (Prop. 2): a leader exits when gamma <= gamma_d",
        f"  gamma_L = {eq.gamma_l:.6f}   action L = {eq.action_l}",
        f"  gamma_H = {eq.gamma_h:.6f}   action H = {eq.action_h}",
        "",
        "vote differences at the equilibrium actions (Prop. 3); > 0 favours L",
        f"  D_w* = {eq.d_w:+.6f}   D_l* = {eq.d_l:+.6f}",
        f"  probability that L wins (Lemma 1): pi = {eq.pi:.6f}",
    ]
    for w in eq.warnings:
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def _params() -> tuple[str, ...]:
    """The model's parameters, in order (:data:`backlash.model.PARAMETERS`: one option each)."""
    from .model import PARAMETERS

    return tuple(p.name for p in PARAMETERS)


def _flags() -> dict[str, str]:
    """Each parameter's name (as the model's error messages give it) and the option that sets it."""
    from .model import PARAMETERS

    return {p.name: p.flag for p in PARAMETERS} | {"calibration": "--calibration"}


def _as_typed(message: str) -> str:
    """Prefix a model error with the option the user typed (``x_h must ...`` -> ``argument --x-h: x_h must ...``)."""
    m = re.match(r"(\w+) must", message)
    flags = _flags()
    if not m or m.group(1) not in flags:
        return message
    return f"argument {flags[m.group(1)]}: {message}"


#: Grid points solved at once: the grid is streamed in chunks of this many points, so memory stays
#: the same whatever its size (10^9 points take only time).
GRID_CHUNK = 1 << 13


def _ranges(args) -> dict:
    """The options given as ranges ``start:stop:count``, by parameter name, in the order of the parameters."""
    return {n: getattr(args, n) for n in _params() if isinstance(getattr(args, n), GridRange)}


def _points(args, flat) -> dict:
    """The parameter values at the grid points numbered ``flat`` (C order over the ranges), by name."""
    import numpy as np

    ranged = _ranges(args)
    counts = [r[2] for r in ranged.values()]
    index = np.unravel_index(flat, counts) if ranged else ()
    values = {n: float(getattr(args, n)) if n not in ranged else None for n in _params()}
    for (n, r), i in zip(ranged.items(), index):
        values[n] = r.values()[i]
    return values


def _corners(args) -> dict:
    """Every combination of the ends of the ranges (the point itself when there is none).

    Each parameter's domain is an interval and each condition joining parameters is monotone in
    each of them, so a grid lies in the model's domain exactly when its corners do; and a point
    beyond double precision is found at a corner first.
    """
    import numpy as np

    ranged = _ranges(args)
    ends = [np.array([r[0], r[1]]) for r in ranged.values()]
    grids = np.meshgrid(*ends, indexing="ij") if ends else []
    values = {n: float(getattr(args, n)) for n in _params() if n not in ranged}
    values.update({n: g.ravel() for n, g in zip(ranged, grids)})
    return values


def _point_options(values: dict, i: int = 0) -> str:
    """The options of point ``i`` as typed (``--x-h 1e+300``), the extreme ones only when some are."""
    import numpy as np

    point = {n: float(np.ravel(np.asarray(values[n]))[i if np.size(values[n]) > 1 else 0]) for n in _params()}
    suspects = [n for n, v in point.items() if v != 0 and not 1e-6 <= abs(v) <= 1e6] or list(point)
    return " ".join(f"{_flags()[n]} {point[n]:g}" for n in suspects)


def _solved(values: dict, calibration: str):
    """``model.outcome`` at ``values``: the outcome, or the one-line refusal (what the user typed, and why).

    The one validation of the command line, for a point, a grid's corners and each chunk of a grid:
    a parameter outside its domain or a joint condition (the model's own message, with the option as
    typed), and a result that is not a finite number (NaN from the model, or an infinite threshold).
    """
    import numpy as np

    from .model import OUTCOME_FIELDS, PrecisionError, first_bad_point, outcome

    try:
        with np.errstate(all="ignore"):
            o = outcome(**values, calibration=calibration)
    except PrecisionError as exc:
        return None, _beyond_precision(exc.results, {n: exc.point[n] for n in _params()})
    except ValueError as exc:
        return None, _as_typed(str(exc))
    except RuntimeError as exc:  # the solver failed where it should not: say so, in one line
        return None, f"the model could not be solved here ({exc})"
    found = first_bad_point({k: ~np.isfinite(np.asarray(getattr(o, k), dtype=float)) for k in OUTCOME_FIELDS},
                            {n: values[n] for n in _params()})
    if found is not None:
        point, bad = found
        return None, _beyond_precision(bad, point)
    return o, None


def _beyond_precision(bad: list[str], point: dict) -> str:
    """The refusal for results that double precision cannot resolve, naming the options as typed."""
    return (f"no finite equilibrium at {_point_options(point)}: {', '.join(bad)} "
            f"{'is' if len(bad) == 1 else 'are'} not a finite number; such values are beyond what double "
            "precision can resolve here. Choose less extreme values")


def _grid_rows(args, parser):
    """Solve the grid chunk by chunk; yield, per chunk, the columns (parameters, then every field of
    ``model.Outcome``) as arrays of equal length."""
    import numpy as np

    from .model import OUTCOME_FIELDS

    total = int(np.prod([r[2] for r in _ranges(args).values()]))
    for start in range(0, total, GRID_CHUNK):
        values = _points(args, np.arange(start, min(start + GRID_CHUNK, total)))
        o, problem = _solved(values, args.calibration)
        if problem:  # (the corners passed: a point inside the grid failed)
            sys.stdout.flush()
            parser.error(problem)
        size = min(GRID_CHUNK, total - start)
        columns = {n: np.broadcast_to(np.asarray(values[n], dtype=float), (size,)) for n in _params()}
        columns |= {k: np.broadcast_to(np.asarray(getattr(o, k)), (size,)) for k in OUTCOME_FIELDS}
        yield columns


def _print_grid(args, parser) -> None:
    """Print the grid as CSV (or a JSON list with ``--json``), one chunk at a time."""
    from .model import OUTCOME_FIELDS

    names = [*_params(), "calibration", *OUTCOME_FIELDS]
    out = sys.stdout
    if args.json:
        first = True
        out.write("[")
        for columns in _grid_rows(args, parser):
            keys = [*_params(), *OUTCOME_FIELDS]
            lists = [columns[k].tolist() for k in keys]
            for row in zip(*lists):
                record = dict(zip(keys, row)) | {"calibration": args.calibration}
                out.write(("" if first else ", ") + json.dumps({k: record[k] for k in names}, allow_nan=False))
                first = False
        out.write("]\n")
        return
    out.write(",".join(names) + "\n")
    for columns in _grid_rows(args, parser):
        text = []
        for k in names:
            if k == "calibration":
                text.append([args.calibration] * len(columns[_params()[0]]))
            elif columns[k].dtype == bool:
                text.append(["True" if v else "False" for v in columns[k].tolist()])
            else:
                text.append([f"{v:.10g}" for v in columns[k].tolist()])
        out.write("".join(",".join(row) + "\n" for row in zip(*text)))


def _cmd_model(args, parser) -> int:
    from .model import ModelParams, solve

    _, problem = _solved(_corners(args), args.calibration)
    if problem:
        parser.error(problem)
    if _ranges(args):
        _print_grid(args, parser)
        return 0
    eq = solve(ModelParams(**{n: getattr(args, n) for n in _params()}, calibration=args.calibration))
    if args.json:
        print(json.dumps(eq.to_dict(), sort_keys=True, allow_nan=False))
    else:
        print(_format_table(eq))
    return 0


# --------------------------------------------------------------------------- paper
def _cmd_paper(args) -> int:
    import time

    from .render import RenderError, render_paper

    t0 = time.perf_counter()

    def waiting() -> None:
        print("backlash paper: another render of this project is running (e.g. a second `make all`); "
              "waiting for it to finish", flush=True)

    try:
        renderer = render_paper(paths.PAPER / "paper.qmd", force_fallback=args.fallback, on_wait=waiting)
    except RenderError as exc:
        print(f"backlash paper: {exc}", file=sys.stderr)
        return 1
    print(f"built paper/paper.pdf, paper/paper.html with {renderer} ({time.perf_counter() - t0:.1f} s)")
    return 0


def _cmd_readme(args) -> int:
    """Rewrite README.md's generated blocks from the default build's outputs (``make readme``)."""
    import pandas as pd

    from . import choices, democracy, report, withdrawal
    from ._io import write_text

    default = (withdrawal.DEFAULT_RULE, democracy.DEFAULT_MEASURE)
    if not choices.load().is_default():
        print(f"backlash readme: the README describes the default build ({default[0]} rule, {default[1]} at its "
              f"default cut-off), and this build used other choices; run `make all WITHDRAWAL_RULE={default[0]} "
              f"DEMOCRACY={default[1]} DEMOCRACY_THRESHOLD=` first", file=sys.stderr)
        return 1
    names = {k: m.name for k, m in democracy.MEASURES.items()}
    readme = paths.ROOT / "README.md"
    old = readme.read_text(encoding="utf-8")
    new = report.rewrite_readme(old, report.readme_blocks(pd.read_csv(paths.VERDICTS),
                                                           pd.read_csv(paths.REGIME_DECOMPOSITION), *default, names))
    if new == old:
        print("README.md's generated blocks are current")
        return 0
    write_text(new, readme)
    print(f"rewrote README.md's generated blocks ({', '.join(report.README_BLOCKS)}) from data/derived")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``backlash`` command line: ``fetch``, ``model``, ``paper`` and ``readme``, with ``--version``.

    Returns
    -------
    argparse.ArgumentParser
    """
    from . import __version__

    parser = _Parser(prog="backlash", description="Replication package for Melnick (2025).")
    parser.add_argument("--version", action="version", version=f"backlash {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p_fetch = sub.add_parser("fetch", help="obtain and verify the raw inputs (data/sources.toml)")
    p_fetch.add_argument("--offline", action="store_true", help="use data/raw and the mirror only; never download")

    p_model = sub.add_parser("model", help="solve the model at one parameter point, or on a grid",
                             description="Solve the model: shares (Prop. 1), thresholds (Prop. 2), "
                                         "vote differences (Prop. 3) and the win probability (Lemma 1). "
                                         "Any option may be a range start:stop:count (e.g. --alpha-r 0.6:0.9:31); "
                                         "the model is then solved at every combination and printed as CSV "
                                         "(or a JSON list with --json), one row per point.")
    from .model import CALIBRATIONS, PARAMETERS

    for p in PARAMETERS:  # one option per parameter, as ModelParams declares it
        p_model.add_argument(p.flag, dest=p.name, type=_finite(p.name), default=p.default,
                             help=f"{p.label}, {p.condition} (default {p.default:g})")
    p_model.add_argument("--calibration", choices=CALIBRATIONS, default="equations",
                         help="'equations': the model as printed; 'reported': reproduces the printed Prop. 3 numbers")
    p_model.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p_model.set_defaults(_parser=p_model)

    p_paper = sub.add_parser("paper", help="render the replication report (PDF and HTML)")
    p_paper.add_argument("--fallback", action="store_true", help="use the pandoc+typst fallback even if quarto is installed")

    sub.add_parser("readme", help="rewrite README.md's generated blocks (the verdicts) from data/derived",
                   description="Rewrite the README's blocks written from the outputs (the verdicts across rules and "
                               "measures, and the paragraph on regime type) from data/derived/verdicts.csv and "
                               "regime_decomposition.csv of the default build.")
    return parser


def _join_negative_values(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """Write ``--c -1e-3`` as ``--c=-1e-3`` (and ``--c -1:0:3`` as ``--c=-1:0:3``): argparse takes a value
    in exponent form, or a range, that starts with a minus sign for an option."""
    takes_value = {flag for action in _all_actions(parser) if action.nargs is None and action.option_strings
                   for flag in action.option_strings}
    out, i = [], 0
    while i < len(argv):
        token = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if token in takes_value and nxt is not None and _is_negative_value(nxt):
            out.append(f"{token}={nxt}")
            i += 2
            continue
        out.append(token)
        i += 1
    return out


def _all_actions(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if action.type is None and action.const is not None:
            continue
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _all_actions(sub)


def _is_negative_value(text: str) -> bool:
    """Whether ``text`` is a negative number or a range that starts with one (``-1e-3``, ``-1:0:3``)."""
    head = text.split(":", 1)[0]
    try:
        float(head)
    except ValueError:
        return False
    return head.startswith("-")


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(_join_negative_values(argv, parser))
    if args.command == "fetch":
        return _cmd_fetch(args)
    if args.command == "model":
        return _cmd_model(args, args._parser)
    if args.command == "paper":
        return _cmd_paper(args)
    if args.command == "readme":
        return _cmd_readme(args)
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover
    return 2


def main(argv: list[str] | None = None) -> int:
    """Run one command; Ctrl-C and SIGTERM exit 130 after cleanup, a closed output pipe quietly.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status.
    """
    terminate_as_interrupt()
    try:
        code = _run(argv)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        print("backlash: interrupted; nothing half-written was left in place", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) has gone: send what is left to /dev/null and stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
