#!/usr/bin/env bash
# Prints the accuracy of the four-characters baseline and the calibrated estimator against exact token
# counts, per request file and source. Needs Node.js 20 with npm, Java 17 and Maven, and the request data in
# shared/data/llm-requests beside the repository (or TOKEN_MONITOR_REQUEST_DATA). Takes about a minute.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/calibration/java-benchmarks.sh
source "$here/java-benchmarks.sh"

install_tokenizers
(cd "$here" && node exact-counts.mjs)
run_java_benchmark io.tokenmonitor.processor.estimation.bench.AccuracyBenchmark "$here/target/exact-counts.json"
