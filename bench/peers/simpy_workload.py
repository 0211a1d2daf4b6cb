#!/usr/bin/python3
"""The reference workload (bench/workload.hpp) on SimPy: one process per host, a generator that
yields env.timeout(delay) for each up and each reboot period. A transition past the horizon is not
waited for, so env.run() ends when every process has returned. Events are counted per process
(the transitions), not SimPy's internal events (which add one Initialize per process).

Usage: simpy_workload.py --hosts N   (prints bench/workload.hpp's JSON line)
"""
import argparse
import json
import sys
import time

import simpy

YEAR = 365 * 86400.0
REBOOT = 60.0


def up_time(host):
    return 3600.0 + host % 100


def horizon_for(hosts):
    # bench/workload.hpp: one year, shortened as 1000 / N up to N = 10^6, then the 10^6 one.
    return YEAR if hosts <= 1000 else YEAR * 1000.0 / min(hosts, 10**6)


def host_process(env, host, horizon, counts):
    up = up_time(host)
    events = 0
    # Times are whole seconds, exact in a double, so env.now + delay is the same time every
    # other engine computes.
    if up <= horizon:
        yield env.timeout(up)
        events += 1
        while True:
            if env.now + REBOOT > horizon:
                break
            yield env.timeout(REBOOT)
            events += 1
            if env.now + up > horizon:
                break
            yield env.timeout(up)
            events += 1
    counts.append(events)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=1000)
    args = parser.parse_args()
    if args.hosts < 1:
        parser.error(f"--hosts: expected an integer >= 1, got {args.hosts}")
    horizon = horizon_for(args.hosts)
    start = time.perf_counter()
    env = simpy.Environment()
    counts = []
    for h in range(args.hosts):
        env.process(host_process(env, h, horizon, counts))
    env.run()
    seconds = time.perf_counter() - start
    line = {"engine": "simpy", "hosts": args.hosts, "horizon_s": round(horizon),
            "events": sum(counts), "seconds": round(seconds, 6)}
    print(json.dumps(line, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
