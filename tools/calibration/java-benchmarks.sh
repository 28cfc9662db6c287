# Functions shared by accuracy.sh and throughput.sh; source this file, do not run it.

calibration_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repository_root="$(cd "$calibration_dir/../.." && pwd)"

# Installs the pinned tokenizer packages when node_modules is missing or older than package-lock.json.
install_tokenizers() {
    if [ ! -d "$calibration_dir/node_modules" ] \
        || [ "$calibration_dir/package-lock.json" -nt "$calibration_dir/node_modules" ]; then
        (cd "$calibration_dir" && npm ci --no-audit --no-fund >&2)
    fi
}

# Compiles the processor with its tests (without running them) and runs a main class from the test classpath.
run_java_benchmark() {
    local main_class="$1"
    shift
    local classpath_file="$repository_root/processor/target/benchmark-classpath.txt"
    (cd "$repository_root" && mvn -B -q -Dstyle.color=never -pl processor -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/benchmark-classpath.txt -Dmdep.includeScope=test >&2)
    local classes="$repository_root/processor/target/test-classes:$repository_root/processor/target/classes"
    java -cp "$classes:$(cat "$classpath_file")" "$main_class" "$@"
}
