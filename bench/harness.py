#!/usr/bin/env python3
"""harness.py - time a command when hyperfine is not installed.

    harness.py --runs N --warmup W --export-json OUT.json [--prepare PREP] COMMAND

COMMAND is one string, split like a shell's words (no shell runs it).
Runs it W times unmeasured, then N times, and writes OUT.json in the shape
hyperfine's --export-json gives (results[0]: command, mean, median, min,
max, user, system, times, in seconds), plus max_rss_kb, the largest peak
resident set of any run (from wait4's rusage). Exits 1, with the command's
own exit status said on stderr, when any run fails. PREP (split the same
way) runs unmeasured before every run, warm-up runs included, as
hyperfine's --prepare.
"""
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def run_once(argv):
    """(wall s, user s, sys s, peak RSS KB) of one run; raises on failure."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(err.decode(errors="replace"))
        raise SystemExit("harness.py: '%s' exited with status %d" % (argv[0], code))
    return wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss


def main():
    args = sys.argv[1:]
    opts = {"--runs": "10", "--warmup": "1", "--export-json": None, "--prepare": None}
    while args and args[0] in opts:
        opts[args[0]] = args[1]
        args = args[2:]
    if len(args) != 1 or not opts["--export-json"]:
        sys.exit(__doc__)
    argv = shlex.split(args[0])
    prep = shlex.split(opts["--prepare"]) if opts["--prepare"] else None

    def run(argv):
        if prep:
            subprocess.run(prep, check=True, stdout=subprocess.DEVNULL)
        return run_once(argv)

    for _ in range(int(opts["--warmup"])):
        run(argv)
    samples = [run(argv) for _ in range(int(opts["--runs"]))]
    walls = [s[0] for s in samples]
    result = {
        "command": args[0],
        "mean": statistics.mean(walls),
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "user": statistics.mean(s[1] for s in samples),
        "system": statistics.mean(s[2] for s in samples),
        "times": walls,
        "max_rss_kb": max(s[3] for s in samples),
    }
    with open(opts["--export-json"], "w") as f:
        json.dump({"results": [result]}, f, indent=1)


if __name__ == "__main__":
    main()
