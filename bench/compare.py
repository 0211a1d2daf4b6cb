"""Runs the reference workload (bench/workload.hpp) on every engine and prints one table.

Called by bench/compare, which installs the packages first. Each engine is a program that prints
one JSON line (engine, hosts, horizon_s, events, seconds); this script runs it under
/usr/bin/time for its peak RSS, with a timeout and a memory watchdog, and checks that every engine
counted the same events for the same N: if not, the comparison is void and it says so (exit 1).

bytes per pending event = (peak RSS at N - peak RSS of the same program at N = 1) / N. Every host
has exactly one transition pending at any time, so N is the number of pending events (for
SimGrid's actors, the number of sleeping actors, each with its stack).

bare-heap is the same program as rejuvkit running a bare std::priority_queue of {time, host, state}
instead of the engine (no FIFO ties, no cancellation, no handler call): the baseline the engine's
queue is measured against. Above 10^6 hosts only rejuvkit and bare-heap run unless --large-peers.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ENGINES = ["rejuvkit", "bare-heap", "ns3", "simgrid-timers", "simgrid-actors", "simpy"]
DEFAULT_HOSTS = [10**3, 10**4, 10**5, 10**6, 10**7]
LARGE = 10**6  # above this, only LARGE_ENGINES run unless --large-peers
LARGE_ENGINES = {"rejuvkit", "bare-heap"}
EVENTS_AT_1000 = 17_002_830  # bench/workload.hpp; a wrong rejuvkit count voids everything too
BUILD_TARGETS = ["engine_workload", "peer_ns3", "peer_simgrid"]


def command(engine, build, bench, hosts):
    n = str(hosts)
    return {
        "rejuvkit": [build / "engine_workload", "--hosts", n, "--json-line"],
        "bare-heap": [build / "engine_workload", "--hosts", n, "--json-line", "--bare-heap"],
        "ns3": [build / "peer_ns3", "--hosts", n],
        "simgrid-timers": [build / "peer_simgrid", "--hosts", n, "--mode", "timers"],
        "simgrid-actors": [build / "peer_simgrid", "--hosts", n, "--mode", "actors"],
        "simpy": ["/usr/bin/python3", bench / "peers" / "simpy_workload.py", "--hosts", n],
    }[engine]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def mem_total_kib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    return 0


def build(root, build_dir, jobs):
    build_dir.mkdir(parents=True, exist_ok=True)
    build_log = build_dir / "compare-build.log"
    steps = [
        ["cmake", "-S", root, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release", "-DREJUV_TESTS=OFF",
         "-DREJUV_BENCH=ON"],
        ["cmake", "--build", build_dir, "-j", str(jobs), "--target", *BUILD_TARGETS],
    ]
    log(f"compare: building {', '.join(BUILD_TARGETS)} in {build_dir} (log: {build_log})")
    with open(build_log, "w") as out:
        for step in steps:
            if subprocess.run([str(a) for a in step], stdout=out, stderr=subprocess.STDOUT).returncode:
                tail = build_log.read_text().splitlines()[-25:]
                sys.exit("compare: build failed:\n" + "\n".join(tail))


def descendants_rss_kib(pid):
    """RSS of pid and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return total


def run_once(argv, timeout_s, mem_limit_kib):
    """Runs argv under /usr/bin/time; returns (result dict, None) or (None, reason skipped)."""
    with tempfile.NamedTemporaryFile("r", prefix="compare-time-") as time_out:
        cmd = ["/usr/bin/time", "-o", time_out.name, "-f", "%M %U %S"] + [str(a) for a in argv]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        killed = []

        def watchdog():
            while proc.poll() is None:
                if descendants_rss_kib(proc.pid) > mem_limit_kib:
                    killed.append(f"killed at the memory limit ({mem_limit_kib / 2**20:.2f} GiB RSS)")
                    os.killpg(proc.pid, signal.SIGKILL)
                    return
                time.sleep(0.5)

        threading.Thread(target=watchdog, daemon=True).start()
        try:
            out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return None, f"timed out after {timeout_s:.0f} s"
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        if killed:
            return None, killed[0]
        if proc.returncode != 0:
            last = (err.strip().splitlines() or ["no message"])[-1]
            return None, f"exit status {proc.returncode}: {last}"
        try:
            result = json.loads(out.strip().splitlines()[-1])
            rss, user, sys_ = time_out.read().splitlines()[-1].split()
        except (IndexError, ValueError):
            return None, f"no JSON line on stdout, or no /usr/bin/time line: {out.strip()[:200]!r}"
        result["peak_rss_kib"] = int(rss)
        result["cpu_s"] = float(user) + float(sys_)  # the whole process, start-up included
        return result, None


def run(engine, argv, args, mem_limit_kib):
    """Best of --repeat runs (least wall time)."""
    best = None
    for _ in range(args.repeat):
        result, reason = run_once(argv, args.timeout, mem_limit_kib)
        if reason:
            return None, reason
        if result["engine"] != engine:
            return None, f"program reported engine {result['engine']!r}"
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    return best, None


def fmt_int(n):
    return f"{n:,}"


def table(rows):
    head = ["engine", "hosts", "events", "wall s", "cpu s", "events/s", "peak RSS MiB",
            "B/pending event", "vs rejuvkit", "vs bare heap"]
    body = []
    for r in rows:
        if r.get("skipped"):
            body.append([r["engine"], fmt_int(r["hosts"]), "skipped: " + r["skipped"]])
            continue
        ratio = r.get("ratio_to_rejuvkit")
        ratio_bare = r.get("ratio_to_bare_heap")
        bpe = r.get("bytes_per_pending_event")
        body.append([r["engine"], fmt_int(r["hosts"]), fmt_int(r["events"]), f"{r['seconds']:.2f}",
                     f"{r['cpu_s']:.2f}", f"{r['events_per_s']:.3g}", f"{r['peak_rss_mib']:.1f}",
                     "-" if bpe is None or bpe * r["hosts"] < 2**20 else f"{bpe:.0f}",
                     "-" if ratio is None else f"{ratio:.3f}",
                     "-" if ratio_bare is None else f"{ratio_bare:.2f}"])
    full = [b for b in body if len(b) == len(head)]
    widths = [max(len(x) for x in col) for col in zip(head, *full)]
    right = [False] + [True] * (len(head) - 1)

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            if i == len(cells) - 1 and len(cells) < len(head):
                out.append(c)  # a skipped row's reason runs to the end of the line
            else:
                out.append(c.rjust(widths[i]) if right[i] else c.ljust(widths[i]))
        return "  ".join(out).rstrip()

    return "\n".join([line(head)] + [line(b) for b in body])


def main():
    p = argparse.ArgumentParser(
        prog="bench/compare",
        description="The reference workload (bench/workload.hpp) on rejuvkit, a bare binary heap, ns-3, SimGrid "
        "(timers, actors) and SimPy: one table, and --json lines.")
    p.add_argument("--hosts", type=int, action="append", metavar="N",
                   help="host count, repeatable (default 10^3 10^4 10^5 10^6 10^7)")
    p.add_argument("--quick", action="store_true", help="only N = 1000")
    p.add_argument("--engine", action="append", choices=ENGINES,
                   help="run only this engine, repeatable (default all)")
    p.add_argument("--large-peers", action="store_true",
                   help="above 10^6 hosts run every engine, not only rejuvkit and bare-heap")
    p.add_argument("--json", metavar="FILE", help="also write one JSON object per line to FILE")
    p.add_argument("--timeout", type=float, default=1200, metavar="S",
                   help="per run, in seconds (default 1200); a run past it is reported as skipped")
    p.add_argument("--mem-limit-gib", type=float, metavar="G",
                   help="skip a run whose projected peak RSS is above G GiB, kill one that gets "
                   "there (default: half the machine's memory, since it is shared)")
    p.add_argument("--repeat", type=int, default=1, metavar="K",
                   help="run each point K times, keep the fastest (default 1)")
    p.add_argument("--build-dir", default="build-bench-cmp",
                   help="build folder, relative to the project (default build-bench-cmp)")
    p.add_argument("--root", default=str(Path(__file__).resolve().parent.parent),
                   help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.repeat < 1:
        p.error("--repeat: expected an integer >= 1")
    hosts = [1000] if args.quick else sorted(set(args.hosts or DEFAULT_HOSTS))
    if any(n < 1 for n in hosts):
        p.error("--hosts: expected integers >= 1")
    engines = [e for e in ENGINES if not args.engine or e in args.engine]
    mem_limit_kib = int((args.mem_limit_gib * 2**20) if args.mem_limit_gib else mem_total_kib() / 2)

    root = Path(args.root)
    build_dir = root / args.build_dir
    build(root, build_dir, os.cpu_count() or 1)
    bin_dir = build_dir / "bench"
    bench = root / "bench"

    # Baseline RSS of each program: the same program with N = 1 (start-up, libraries, interpreter).
    baseline = {}
    for e in engines:
        result, reason = run_once(command(e, bin_dir, bench, 1), args.timeout, mem_limit_kib)
        if reason:
            sys.exit(f"compare: {e} fails even at N = 1: {reason}")
        baseline[e] = result["peak_rss_kib"]

    rows = []
    done = {e: [] for e in engines}  # completed (hosts, peak_rss_kib), for the memory projection
    for n in hosts:
        for e in engines:
            row = {"engine": e, "hosts": n}
            reason = None
            if done[e]:
                n0, rss0 = done[e][-1]
                projected = baseline[e] + (rss0 - baseline[e]) * n / n0
                if projected > mem_limit_kib:
                    reason = (f"projected peak RSS {projected / 2**20:.1f} GiB (from N = {n0:,}) "
                              f"is over the limit of {mem_limit_kib / 2**20:.1f} GiB")
            if n > LARGE and e not in LARGE_ENGINES and not args.large_peers:
                continue  # not a row: the 10^7 comparison is rejuvkit against the bare heap
            log(f"compare: {e} N = {n:,} ...")
            result = None
            if not reason:
                result, reason = run(e, command(e, bin_dir, bench, n), args, mem_limit_kib)
            if reason:
                row.update(events=None, seconds=None, events_per_s=None, peak_rss_mib=None,
                           skipped=reason)
                log(f"compare: {e} N = {n:,} skipped: {reason}")
            else:
                rss = result["peak_rss_kib"]
                row.update(events=result["events"], seconds=result["seconds"],
                           events_per_s=result["events"] / result["seconds"],
                           cpu_s=result["cpu_s"],
                           peak_rss_mib=rss / 1024, horizon_s=result["horizon_s"],
                           baseline_rss_mib=baseline[e] / 1024,
                           bytes_per_pending_event=(rss - baseline[e]) * 1024 / n)
                done[e].append((n, rss))
                log(f"compare: {e} N = {n:,}: {row['events']:,} events, {row['seconds']:.2f} s, "
                    f"{row['peak_rss_mib']:.1f} MiB")
            rows.append(row)

    # Ratios to rejuvkit, and the check that voids the comparison.
    problems = []
    for n in hosts:
        at_n = [r for r in rows if r["hosts"] == n and not r.get("skipped")]
        ours = next((r for r in at_n if r["engine"] == "rejuvkit"), None)
        bare = next((r for r in at_n if r["engine"] == "bare-heap"), None)
        for r in at_n:
            r["ratio_to_rejuvkit"] = r["events_per_s"] / ours["events_per_s"] if ours else None
            r["ratio_to_bare_heap"] = r["events_per_s"] / bare["events_per_s"] if bare else None
        counts = {r["engine"]: r["events"] for r in at_n}
        if len(set(counts.values())) > 1:
            problems.append(f"N = {n:,}: engines counted different events: "
                            + ", ".join(f"{e} {c:,}" for e, c in counts.items()))
        if n == 1000 and ours and ours["events"] != EVENTS_AT_1000:
            problems.append(f"N = 1,000: rejuvkit counted {ours['events']:,} events, the "
                            f"workload defines {EVENTS_AT_1000:,}")

    print(table(rows))
    print("B/pending event = (peak RSS at N - peak RSS at N = 1) / N, '-' where that grew by less "
          "than 1 MiB (under the noise);\nvs rejuvkit = events/s over rejuvkit's at the same N "
          "(above 1: faster than rejuvkit); vs bare heap = the same over the bare heap's;\n"
          "wall s: the run inside the program; cpu s: user + system time of the whole process "
          "(cpu s well under wall s: the run waited for a core).")
    ratios = [(r["hosts"], 1 / r["ratio_to_rejuvkit"]) for r in rows
              if r["engine"] == "bare-heap" and r.get("ratio_to_rejuvkit")]
    if ratios:
        print("rejuvkit / bare heap: " + ", ".join(f"{fmt_int(n)}: {x:.2f}x" for n, x in ratios))

    if args.json:
        keys = ["engine", "hosts", "events", "seconds", "events_per_s", "peak_rss_mib", "cpu_s",
                "bytes_per_pending_event", "ratio_to_rejuvkit", "ratio_to_bare_heap", "horizon_s",
                "baseline_rss_mib",
                "skipped"]
        tmp = Path(args.json + ".tmp")
        with open(tmp, "w") as f:
            for r in rows:
                f.write(json.dumps({k: r[k] for k in keys if k in r}) + "\n")
        tmp.replace(args.json)

    if problems:
        bar = "!" * 78
        print(f"\n{bar}\nTHE COMPARISON IS VOID: the engines did not run the same workload.", file=sys.stderr)
        for prob in problems:
            print("  " + prob, file=sys.stderr)
        print(bar, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
