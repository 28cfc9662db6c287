#!/usr/bin/env bash
# Prints the megabytes of text per second that the four-characters baseline and the calibrated estimator
# count, measured with JMH on the shared request texts. Needs Java 17 and Maven, and the request data in
# shared/data/llm-requests beside the repository (or TOKEN_MONITOR_REQUEST_DATA). Takes about a minute.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/calibration/java-benchmarks.sh
source "$here/java-benchmarks.sh"

data_directory="$(cd "$here" && node --input-type=module \
    -e "import { findDataDirectory } from './data.mjs'; console.log(findDataDirectory())")"
run_java_benchmark io.tokenmonitor.processor.estimation.bench.ThroughputBenchmark "$data_directory"
