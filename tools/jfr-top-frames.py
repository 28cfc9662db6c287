#!/usr/bin/env python3
"""Prints the most sampled methods of a JFR recording's jdk.ExecutionSample events.

Usage: jfr-top-frames.py RECORDING.jfr [THREAD_SUBSTRING] [COUNT]

Counts each sample once under its top frame ("self") and once under every distinct method on its
stack ("total"), keeping only threads whose name contains THREAD_SUBSTRING (default: StreamThread).
"""
import collections
import json
import subprocess
import sys


def main():
    recording = sys.argv[1]
    thread_filter = sys.argv[2] if len(sys.argv) > 2 else "StreamThread"
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    output = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", recording],
                            check=True, capture_output=True, text=True).stdout
    events = json.loads(output)["recording"]["events"]

    self_counts = collections.Counter()
    total_counts = collections.Counter()
    samples = 0
    for event in events:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or ""
        if thread_filter not in thread:
            continue
        frames = [f"{frame['method']['type']['name'].replace('/', '.')}.{frame['method']['name']}"
                  for frame in (values.get("stackTrace") or {}).get("frames", [])]
        if not frames:
            continue
        samples += 1
        self_counts[frames[0]] += 1
        for method in set(frames):
            total_counts[method] += 1

    print(f"{samples} samples in threads containing '{thread_filter}'")
    print("self%   method (top frame)")
    for method, hits in self_counts.most_common(count):
        print(f"{100.0 * hits / samples:5.1f}  {method}")

    print("total% method (anywhere on the stack, io.tokenmonitor only)")
    ours = [(m, n) for m, n in total_counts.most_common() if m.startswith("io.tokenmonitor")]
    for method, hits in ours[:count]:
        print(f"{100.0 * hits / samples:5.1f}  {method}")


if __name__ == "__main__":
    main()
