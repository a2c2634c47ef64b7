"""The ``backlash`` command line.

Subcommands
-----------
fetch   obtain the raw inputs listed in data/sources.toml and verify their sha256
model   solve the model at one parameter point (table or ``--json``)
paper   render paper/paper.qmd to PDF and HTML (Quarto when installed, else the fallback)

Errors in what the user typed exit with status 2 and one line naming the
parameter as typed (``--x-h``) and the condition; data errors exit with status 1
and a message that says what to do.  ``model`` prints only finite numbers: a
parameter point where a product such as b*psi under- or overflows, or where any
result is not a finite number, is refused with exit status 2.  Output cut short
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


#: Smallest electoral weight b*psi accepted.  Below it the exit threshold of L (Prop. 2) is lost
#: to rounding: its ideological term, a difference of squares of O(b*psi) gaps, is divided by
#: b*psi, so rounding errors of 1e-16 grow to O(1e-32 / (b*psi)) (gamma_L drifts from 1e-25 on
#: at the default point and is 0 from 1e-40 on; at 1e-16 it equals its limit to every digit).
MIN_ELECTORAL_WEIGHT = 1e-16


def extreme_inputs(args) -> str | None:
    """Why a parameter point is outside what double precision resolves, before solving, or ``None``.

    The model uses the electoral weight b*psi (halved under ``reported``); when that
    product overflows, underflows, or is so small that the thresholds are lost to
    rounding (:data:`MIN_ELECTORAL_WEIGHT`), the results are meaningless, so the point
    is refused and both options are named.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options of ``backlash model``.

    Returns
    -------
    str or None
    """
    k = args.b * args.psi
    if args.calibration == "reported":
        k /= 2
    if k == 0 or k < sys.float_info.min:
        return (f"argument --b/--psi: the product b*psi = {args.b:g}*{args.psi:g} underflows double precision "
                f"(below {sys.float_info.min:g}); choose b and psi whose product is at least "
                f"{MIN_ELECTORAL_WEIGHT:g}")
    if k < MIN_ELECTORAL_WEIGHT:
        return (f"argument --b/--psi: the product b*psi = {args.b:g}*{args.psi:g} is below {MIN_ELECTORAL_WEIGHT:g}, "
                "where the exit thresholds are lost to rounding in double precision; choose b and psi whose "
                f"product is at least {MIN_ELECTORAL_WEIGHT:g}")
    if not math.isfinite(k) or k > 1e300:
        return (f"argument --b/--psi: the product b*psi = {args.b:g}*{args.psi:g} overflows double precision; "
                "choose b and psi whose product is at most 1e300")
    return None


def non_finite_results(eq, args) -> str | None:
    """Why the solution cannot be reported (a NaN, an infinity, a share outside [0, 1]), or ``None``.

    Parameters
    ----------
    eq : Equilibrium
        :func:`backlash.model.solve`.
    args : argparse.Namespace
        The parsed options.

    Returns
    -------
    str or None
    """
    numbers = {k: getattr(eq, k) for k in ("theta_lr", "theta_le", "theta_hr", "theta_he", "gamma_l", "gamma_h",
                                          "d_w", "d_l", "pi")}
    bad = [k for k, v in numbers.items() if not math.isfinite(v)]
    bad += [k for k, v in numbers.items() if k.startswith("theta_") and math.isfinite(v) and not 0 <= v <= 1]
    return _beyond_precision(bad, args) if bad else None


def _beyond_precision(bad: list[str], args) -> str:
    """The message for results that double precision cannot resolve, naming the options as typed."""
    given = {name: getattr(args, name) for name in _params()}
    suspects = [n for n, v in given.items() if v != 0 and not 1e-6 <= abs(v) <= 1e6] or list(given)
    typed = ", ".join(f"{_flags()[n]} {given[n]:g}" for n in suspects)
    return (f"no finite equilibrium at this point: {', '.join(bad)} "
            f"{'is' if len(bad) == 1 else 'are'} not a finite number in range; the values of {typed} "
            "are beyond what double precision can resolve here. Choose less extreme values.")


def model_grid(args) -> list[dict]:
    """Every combination of the ranged options (the others fixed), solved at once with ``model.outcome``.

    Returns one record per grid point: the parameters, then every field of ``model.Outcome``
    (:data:`backlash.model.OUTCOME_FIELDS`, the names one point's ``--json`` uses too).
    Raises ``ValueError`` naming the parameter when a point is outside the model's domain.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options; at least one is a :class:`GridRange`.

    Returns
    -------
    list of dict
    """
    import numpy as np

    from .model import OUTCOME_FIELDS, outcome

    names = _params()
    ranged = [n for n in names if isinstance(getattr(args, n), GridRange)]
    axes = np.meshgrid(*(getattr(args, n).values() for n in ranged), indexing="ij")
    values = {n: getattr(args, n) for n in names}
    values.update({n: a.ravel() for n, a in zip(ranged, axes)})
    size = axes[0].size
    with np.errstate(all="ignore"):
        o = outcome(**values, calibration=args.calibration)
    columns = {n: np.broadcast_to(np.asarray(values[n], dtype=float), (size,)) for n in names}
    columns |= {k: np.broadcast_to(np.asarray(getattr(o, k)), (size,)) for k in OUTCOME_FIELDS}
    return [{k: (bool(v[i]) if v.dtype == bool else float(v[i])) for k, v in columns.items()}
            | {"calibration": args.calibration} for i in range(size)]


def _print_grid(records: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps(records, allow_nan=False))
        return
    import csv

    from .model import OUTCOME_FIELDS

    names = [*_params(), "calibration", *OUTCOME_FIELDS]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(names)
    for r in records:
        writer.writerow([f"{r[k]:.10g}" if isinstance(r[k], float) else r[k] for k in names])


def _cmd_model(args, parser) -> int:
    import warnings

    import numpy as np

    from .model import OUTCOME_FIELDS, ModelParams, solve

    if any(isinstance(getattr(args, n), GridRange) for n in _params()):
        try:
            records = model_grid(args)
        except ValueError as exc:
            parser.error(_as_typed(str(exc)))
        bad = [r for r in records if not all(math.isfinite(r[k]) for k in OUTCOME_FIELDS if isinstance(r[k], float))]
        if bad:
            parser.error(f"{len(bad)} grid point(s) have no finite equilibrium (first: "
                         + ", ".join(f"{_flags()[n]} {bad[0][n]:g}" for n in _params()) + "); narrow the ranges")
        _print_grid(records, args.json)
        return 0

    with np.errstate(all="ignore"), warnings.catch_warnings():  # non-finite values are checked here
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            params = ModelParams(**{n: getattr(args, n) for n in _params()}, calibration=args.calibration)
        except ValueError as exc:
            parser.error(_as_typed(str(exc)))
        problem = extreme_inputs(args)
        if problem:
            parser.error(problem)
        try:
            eq = solve(params)
        except RuntimeError:  # the Prop. 1 solver found no finite root at these values
            parser.error(_beyond_precision(["theta"], args))
    problem = non_finite_results(eq, args)
    if problem:
        parser.error(problem)
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


def build_parser() -> argparse.ArgumentParser:
    """The ``backlash`` command line: ``fetch``, ``model`` and ``paper``, with ``--version``.

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
    return parser


def _join_negative_values(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """Write ``--c -1e-3`` as ``--c=-1e-3``: argparse takes a value in exponent form for an option."""
    takes_value = {flag for action in _all_actions(parser) if action.nargs is None and action.option_strings
                   for flag in action.option_strings}
    out, i = [], 0
    while i < len(argv):
        token = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if token in takes_value and nxt is not None and nxt.startswith("-") and _is_number(nxt):
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


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
