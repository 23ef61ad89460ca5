#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run the whole suite.
# System packages (Debian): chromium and chromium-driver for the browser tests, libreoffice-impress
# to open the exported PowerPoint, poppler-utils for PDF pages, faketime to move the clock, ffmpeg
# to encode the playback's MP4, redis-server for the test of the Celery jobs (one server for the
# whole run, see below).
# Python packages go to .venv (created when missing), at the exact versions of requirements.lock.
#
# The suite runs three times: once in full (browser tests included) on the real clock, then the
# non-browser tests again with the clock two years ahead and with the clock set back to the demo
# data's own date: no test may depend on the day it runs. Extra arguments go to the first run.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-impress)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v faketime >/dev/null 2>&1 || need+=(faketime)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)  # the playback's MP4 export
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # the Celery jobs' broker
# The metric twins of Arial that the slides name and the exports measure their texts with.
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need+=(fonts-liberation2)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# axe-core (npm) for the accessibility audit, pinned in package.json / package-lock.json.
npm ci --no-audit --no-fund --loglevel=error

[ -d .venv ] || python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install -q --require-hashes -r requirements.lock
python -m pip install -q --no-deps --no-build-isolation -e .

# One Redis server for the whole run (loopback, a free port, its own folder), stopped on exit;
# the tests find it through ATLAS_TEST_REDIS_URL (tests/conftest.py).
redis_dir=$(mktemp -d)
redis_port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$redis_dir" --save '' --appendonly no \
  --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
trap 'kill "$(cat "$redis_dir/redis.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$redis_dir"' EXIT
for _ in $(seq 50); do [ -s "$redis_dir/redis.pid" ] && break; sleep 0.1; done
export ATLAS_TEST_REDIS_URL="redis://127.0.0.1:$redis_port"

python -m pytest --headless -q "$@"

# The demo's own date (its meta table, geodata/demo/meta.csv); the clock runs on from there.
demo_date=$(awk -F'[,;]' '$1 == "data_date" {print $2}' geodata/demo/meta.csv | tr -d '\r"')
: "${demo_date:?no data_date in geodata/demo/meta.csv}"
fast=(-q -p no:cacheprovider tests/unit tests/callbacks)
# Both clocks at once, one core each (each run writes its own log, shown when it ends). Each has
# its own temporary folder: the background jobs' disk cache there drops entries whose expiry has
# passed on its writer's clock, and two years apart one run would drop the other's results.
logs=$(mktemp -d)
mkdir -p "$logs/ahead-tmp" "$logs/demo-tmp"
TMPDIR="$logs/ahead-tmp" faketime -f "+730d" python -m pytest "${fast[@]}" >"$logs/ahead.log" 2>&1 &
ahead=$!
TMPDIR="$logs/demo-tmp" faketime -f "@$demo_date 09:00:00" python -m pytest "${fast[@]}" \
  >"$logs/demo.log" 2>&1 &
demo=$!
status=0
wait "$ahead" || status=1
echo "== the non-browser tests with the clock two years ahead"
tail -n 15 "$logs/ahead.log"
wait "$demo" || status=1
echo "== the non-browser tests with the clock at the demo's date ($demo_date)"
tail -n 15 "$logs/demo.log"
exit "$status"
