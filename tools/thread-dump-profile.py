#!/usr/bin/env python3
"""Samples one thread of a running JVM with jstack until the JVM exits, and prints where its samples fall.

Flight Recorder's execution samples leave out threads that are running native code, such as RocksDB calls
through JNI. A thread dump shows such a thread at its native frame, so this sampler counts them.

Usage: tools/thread-dump-profile.py PID THREAD_NAME_REGEX [OUTPUT_FILE]

THREAD_NAME_REGEX selects the first thread whose whole name matches it. For the full topology's stream thread
in `./benchmark throughput`, use 'bench-full-.*-StreamThread-1'. Dumps without such a thread are skipped. The raw stacks go to OUTPUT_FILE when given. Each sample takes as long as one jstack call, about 0.1 to 0.3 s.
"""

import collections
import re
import subprocess
import sys

# The first pattern found anywhere in a sample's stack names its category. The order matters, because the
# validator's process() is on the stack of every later step of the topology.
CATEGORIES = [
    ("RocksDB calls (JNI)", "org.rocksdb."),
    ("exact byte-pair count", "BytePairCounter"),
    ("calibrated estimate", "CalibratedEstimator"),
    ("other estimation", "UsageEstimator"),
    ("exactly-once commit", "commitTransaction"),
    ("producer flush before commit", "KafkaProducer.flush"),
    ("consumer poll", "KafkaConsumer.poll"),
    ("Avro serialization", "org.apache.avro."),
    ("producer send", "KafkaProducer.send"),
    ("other product steps", "io.tokenmonitor."),
    ("other Kafka Streams work", "org.apache.kafka.streams."),
]


def thread_stack(pid, name_pattern):
    """
    Returns the frames of the first thread whose name matches name_pattern, [] when no thread matches, or the
    jstack error message as a string when the dump failed, for example because the JVM is gone.
    """
    result = subprocess.run(["jstack", str(pid)], capture_output=True, text=True)
    if result.returncode != 0:
        return (result.stderr or result.stdout).strip() or f"jstack exited with code {result.returncode}"
    lines = result.stdout.splitlines()
    for index, line in enumerate(lines):
        if line.startswith('"') and name_pattern.fullmatch(line.split('"')[1]):
            frames = []
            for frame in lines[index + 1:]:
                if not frame.strip():
                    break
                if frame.strip().startswith("at "):
                    frames.append(frame.strip()[3:])
            return frames
    return []


def main():
    if len(sys.argv) in (2, 3, 4) and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    pid = sys.argv[1]
    try:
        name_pattern = re.compile(sys.argv[2])
    except re.error as error:
        print(f"Invalid THREAD_NAME_REGEX '{sys.argv[2]}': {error}", file=sys.stderr)
        sys.exit(2)
    output = open(sys.argv[3], "w") if len(sys.argv) > 3 else None
    counts = collections.Counter()
    samples = 0
    dumps = 0
    while True:
        frames = thread_stack(pid, name_pattern)
        if isinstance(frames, str):
            if dumps == 0:
                print(f"Failed to dump the threads of process {pid}: {frames}", file=sys.stderr)
                sys.exit(1)
            # The JVM usually exits at the end of the benchmark, which ends sampling.
            print(f"Sampling ended after {dumps} dumps: {frames.splitlines()[0]}", file=sys.stderr)
            break
        dumps += 1
        if not frames:
            continue
        samples += 1
        stack = " ".join(frames)
        category = next((name for name, pattern in CATEGORIES if pattern in stack), "other")
        counts[category] += 1
        if output:
            output.write("\n".join(frames) + "\n----\n")
    if output:
        output.close()

    print(f"{samples} samples of the first thread matching '{name_pattern.pattern}'")
    for category, count in counts.most_common():
        print(f"{100.0 * count / max(samples, 1):5.1f}%  {count:4d}  {category}")


if __name__ == "__main__":
    main()
