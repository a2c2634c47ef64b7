"""`make bench` (floor part): the pipeline's computations in one process, in memory.

Usage: python bench/floor.py OUT.json   (in a project that `make all` has built)

The floor against which `make bench` measures the pipeline's CPU: every step of
``backlash.pipeline.load_steps()``, in the same order, run as its script
(``runpy``) in a single interpreter that has imported every package the steps use
beforehand (not timed), with the tables the steps pass to each other kept in memory
(``write_csv`` keeps the frame, ``pandas.read_csv`` of a file written in this run
returns it) and the figures rendered into memory buffers in every format.  What
remains is the steps' own work: reading the raw inputs, the transforms, the
regressions and the drawing.  What the pipeline adds to it is the cost of running
steps as a build: an interpreter and its imports per group, a process per step,
and the files written and parsed between steps.

Writes ``{"steps": {name: cpu_s}, "cpu_s": total, "imports_cpu_s": ...}`` to OUT.json.
"""

from __future__ import annotations

import io
import json
import os
import runpy
import sys
import time
from pathlib import Path


def main(out: Path) -> None:
    t_imports = time.process_time()
    import matplotlib.pyplot as plt
    import pandas as pd

    from backlash import _io, pipeline, plots

    steps = pipeline.load_steps()
    for s in steps:
        for module in pipeline.top_level_imports(s.script):
            pipeline._preload(module)
    imports = time.process_time() - t_imports

    frames: dict[str, pd.DataFrame] = {}
    read_csv = pd.read_csv

    def key(path) -> str | None:
        return os.path.realpath(path) if isinstance(path, (str, os.PathLike)) else None

    def memory_read_csv(path, *args, **kwargs):
        k = key(path)
        if k in frames and not args and not kwargs:
            return frames[k].copy()
        return read_csv(path, *args, **kwargs)

    def memory_write_csv(df, dest):
        frames[key(dest)] = df.copy()
        return Path(dest)

    def memory_save_figure(fig, *outputs):
        small = plots.small_text(fig)
        if small:
            raise ValueError(f"text below {plots.MIN_FONT_SIZE:g} pt: {small}")
        for o in outputs:
            fig.savefig(io.BytesIO(), format=Path(o).suffix.lstrip("."), metadata=plots._METADATA[Path(o).suffix[1:]])
        plt.close(fig)

    pd.read_csv, _io.write_csv, plots.save_figure = memory_read_csv, memory_write_csv, memory_save_figure
    cpu = {}
    sys.stdout = open(os.devnull, "w")  # the steps' one line each
    try:
        for s in steps:
            sys.argv = [str(s.script)]
            t0 = time.process_time()
            try:
                runpy.run_path(str(s.script), run_name="__main__")
            except SystemExit as exc:
                if exc.code not in (None, 0):
                    raise SystemExit(f"py/{s.name}.py failed in the in-memory run (status {exc.code})") from None
            cpu[s.name] = time.process_time() - t0
    finally:
        sys.stdout = sys.__stdout__
        pd.read_csv = read_csv
    Path(out).write_text(json.dumps({"steps": cpu, "cpu_s": sum(cpu.values()), "imports_cpu_s": imports}),
                         encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
