#!/usr/bin/env bash
# Takes a screenshot of the dashboard in a real browser (headless Chromium: apt-get install chromium), with the seed
# scenario after a few checks, an expiry on the account token and a heal, so every picture has something to show.
#   Tests/Dashboard/screenshot.sh [OUTPUT.png] [WIDTH]   (default: dashboard.png in the current directory, 1400 px;
#   the README's pictures are taken at 1400 and at 400, a phone's width)
set -euo pipefail
cd "$(dirname "$0")/../.."
output=$(realpath -m "${1:-dashboard.png}")
width=${2:-1400}
height=$(( width >= 1000 ? 1800 : 3400 ))
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "headless Chromium is needed: apt-get install chromium" >&2; exit 1; }
swift build --product tokenwarden >/dev/null
tokenwarden=.build/debug/tokenwarden
state=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$state"' EXIT
export TOKENWARDEN_STATE_DIR=$state
# History: a few degraded checks; then an expiry in 9 days set "in the dashboard" on the account token.
for _ in 1 2 3 4 5; do "$tokenwarden" health --sandbox policies/ >/dev/null || true; done
expires=$(date -u -d '+9 days 6 hours' +%Y-%m-%dT%H:%M:%SZ)
sed -i "0,/\"name\" : \"account_token\",/s//\"name\" : \"account_token\",\n      \"expires_on\" : \"$expires\",/" "$state/sandbox/state.json"
"$tokenwarden" health --sandbox policies/ >/dev/null || true
# The service heals at start (a catch-up run: no run yet), then serves the dashboard.
port=18790
"$tokenwarden" serve --sandbox --allow-unauthenticated --listen 127.0.0.1:$port policies/ >/dev/null 2>"$state/serve.log" &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/tokens/status" >/dev/null && break; sleep 0.2; done
"$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=$width,$height \
  --screenshot="$output" "http://127.0.0.1:$port/" >/dev/null 2>&1
echo "dashboard screenshot: $output"
