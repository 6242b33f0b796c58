#!/usr/bin/env bash
# Builds a fuzzer with libFuzzer and AddressSanitizer and runs it.
#
#   Tests/Fuzz/run.sh [SECONDS] [policy|json]     default 600 seconds of the policy fuzzer
#
# json: the JSON reader of Cloudflare's answers, the writer and the mapping onto the API types, from a seed corpus of
# every JSON fixture and example; invariants: error offsets in bounds, what is read and written reads back the same.
#
# The parser, decoder and formatter sources are compiled into one module with the fuzz entry point (the module
# boundary between TokenModel and PolicyLanguage is dropped for this build only). The seed corpus is every YAML
# fixture, example and policy of the repository; new inputs go to Tests/Fuzz/corpus-run (ignored by git) and
# crashes to Tests/Fuzz/out.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-600}"
target="${2:-policy}"
build="$root/.build/fuzz"
rm -rf "$build/src"
mkdir -p "$build/src" "$root/Tests/Fuzz/out" "$root/Tests/Fuzz/corpus-run"
if [ "$target" = json ]; then
  mkdir -p "$root/Tests/Fuzz/corpus-json"
  for file in "$root"/Sources/Basics/*.swift "$root"/Sources/TokenModel/*.swift "$root"/Sources/JSON/*.swift \
    "$root"/Sources/CloudflareAPI/Model/*.swift; do
    sed -e '/^import TokenModel$/d' -e '/^import JSON$/d' -e '/^import Basics$/d' "$file" > "$build/src/$(basename "$file")"
  done
  cp "$root/Tests/Fuzz/JSONFuzzer.swift" "$build/src/"
  swiftc -O -sanitize=fuzzer,address -parse-as-library -package-name TokenWardenFuzz -module-name JSONFuzz "$build"/src/*.swift -o "$build/json-fuzzer"
  seeds="$build/json-seeds"
  rm -rf "$seeds" && mkdir -p "$seeds"
  cp "$root"/Tests/CloudflareAPITests/Fixtures/*.json "$root"/examples/*.json "$seeds/"
  cd "$root/Tests/Fuzz/out"
  exec "$build/json-fuzzer" "$root/Tests/Fuzz/corpus-json" "$seeds" -max_total_time="$seconds" -max_len=8192 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
fi
for file in "$root"/Sources/Basics/*.swift "$root"/Sources/TokenModel/*.swift \
  $(find "$root/Sources/PolicyLanguage" -name '*.swift'); do
  sed -e '/^import TokenModel$/d' -e '/^import Basics$/d' "$file" > "$build/src/$(basename "$file")"
done
cp "$root/Tests/Fuzz/PolicyFuzzer.swift" "$build/src/"
swiftc -O -sanitize=fuzzer,address -parse-as-library -package-name TokenWardenFuzz -module-name PolicyFuzz "$build"/src/*.swift \
  -o "$build/policy-fuzzer"
seeds="$build/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
cp "$root"/Tests/PolicyLanguageTests/Fixtures/*.yaml "$root"/examples/*.yaml "$root"/policies/*.yaml \
  "$root"/Tests/CLITests/Snapshots/*.yaml "$seeds/"
cd "$root/Tests/Fuzz/out"
"$build/policy-fuzzer" "$root/Tests/Fuzz/corpus-run" "$seeds" -max_total_time="$seconds" -max_len=4096 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
