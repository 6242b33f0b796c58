#!/usr/bin/env bash
# Builds the policy fuzzer with libFuzzer and AddressSanitizer and runs it.
#
#   Tests/Fuzz/run.sh [SECONDS]        default 600
#
# The parser, decoder and formatter sources are compiled into one module with the fuzz entry point (the module
# boundary between TokenModel and PolicyLanguage is dropped for this build only). The seed corpus is every YAML
# fixture, example and policy of the repository; new inputs go to Tests/Fuzz/corpus-run (ignored by git) and
# crashes to Tests/Fuzz/out.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-600}"
build="$root/.build/fuzz"
rm -rf "$build/src"
mkdir -p "$build/src" "$root/Tests/Fuzz/out" "$root/Tests/Fuzz/corpus-run"
for file in "$root"/Sources/TokenModel/*.swift $(find "$root/Sources/PolicyLanguage" -name '*.swift'); do
  sed -e '/^import TokenModel$/d' "$file" > "$build/src/$(basename "$file")"
done
cp "$root/Tests/Fuzz/PolicyFuzzer.swift" "$build/src/"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name PolicyFuzz "$build"/src/*.swift \
  -o "$build/policy-fuzzer"
seeds="$build/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
cp "$root"/Tests/PolicyLanguageTests/Fixtures/*.yaml "$root"/examples/*.yaml "$root"/policies/*.yaml \
  "$root"/Tests/CLITests/Snapshots/*.yaml "$seeds/"
cd "$root/Tests/Fuzz/out"
"$build/policy-fuzzer" "$root/Tests/Fuzz/corpus-run" "$seeds" -max_total_time="$seconds" -max_len=4096 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
