"""Run one pipeline command and append its wall time, CPU time and peak memory to a log (for `make bench`).

Usage: python bench/steprun.py LOG COMMAND [ARG...]

`make bench` passes ``PY="python bench/steprun.py LOG python"`` to the
pipeline it times, so every interpreter make starts (a group of steps, the fetch,
the render) runs under this wrapper; the steps inside a group are recorded by
``backlash.pipeline`` itself (``BACKLASH_STEP_LOG``).  The wrapper is a
small process, so the peak resident memory the kernel reports for its child is
the step's own.
"""

import json
import os
import subprocess
import sys
import time

log, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
proc = subprocess.Popen(argv)
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
code = os.waitstatus_to_exitcode(status)
script = next((a for a in argv[1:] if a.endswith(".py")), " ".join(argv[1:5]))
record = {"step": script, "args": argv[1:], "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
          "peak_mb": usage.ru_maxrss / 1024, "status": code}
with open(log, "a") as fh:
    fh.write(json.dumps(record) + "\n")
sys.exit(code)
