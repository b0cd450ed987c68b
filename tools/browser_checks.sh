#!/usr/bin/env bash
# The browser tests of ./nnlab test: notebook 00 in JupyterLab in headless Chromium, JupyterLab's failures reported
# in bounded time, and (with --site) every page of the course site built by ./nnlab site.
#
#   tools/browser_checks.sh [--site]
#
# Needs ./nnlab setup first (.venv with Jupyter and the java kernel). Installs Selenium into .venv. Without Chromium
# and chromedriver on the machine it says so and skips, unless NNLAB_REQUIRE_BROWSER=1 (CI), where that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
OUT="$ROOT/build/browser"
PY="$VENV/bin/python"
export JUPYTER_PATH="$VENV/share/jupyter"
mkdir -p "$OUT"

die() { echo "browser checks: $*" >&2; exit 1; }

want=$(sha256sum tools/browser-requirements.txt | cut -c1-64)
if [ "$(cat "$VENV/.browser-requirements.sha256" 2>/dev/null)" != "$want" ]; then
  echo "installing Selenium (tools/browser-requirements.txt) into .venv ..."
  "$PY" -m pip install -q -r tools/browser-requirements.txt || die "pip could not install tools/browser-requirements.txt."
  echo "$want" > "$VENV/.browser-requirements.sha256"
fi

passed=0
# Runs one browser test; exit status 3 means there is no browser on this machine.
browser_test() {
  local status=0
  "$PY" tools/browser_test.py "$@" || status=$?
  if [ "$status" = 3 ]; then
    [ "${NNLAB_REQUIRE_BROWSER:-0}" = 1 ] && die "NNLAB_REQUIRE_BROWSER=1 but no browser is installed (see above)."
    echo "browser checks: skipped (no browser)."
    echo "0 passed, 0 failed, 1 skipped: browser checks"
    exit 0
  fi
  return "$status"
}

# A browser test that must fail, within a bounded time, with its report matching a pattern and no processes left.
expect_browser_failure() {
  local what="$1" pattern="$2" log="$OUT/$3.log"
  shift 3
  if browser_test "$@" > "$log" 2>&1; then
    cat "$log"; die "$what: the browser test passed, the failure is not detected."
  fi
  for p in "$pattern" "no processes left" "last lines of the JupyterLab log"; do
    grep -q "$p" "$log" || { cat "$log"; die "$what: the report does not say '$p'."; }
  done
  echo "ok: $what is reported ($pattern), nothing left running."
  passed=$((passed + 1))
}

echo "opening notebook 00 in JupyterLab in headless Chromium (quick mode) ..."
NNLAB_QUICK=1 browser_test lab --progress --screenshot lab-00-getting-started \
  || die "notebook 00 in JupyterLab failed (see above)."
passed=$((passed + 1))

echo "checking that JupyterLab's failures are reported in bounded time and leave nothing running ..."
python3 - "$OUT/busy-port" <<'EOF' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(300)
EOF
holder=$!
trap 'kill "$holder" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$OUT/busy-port" ] && break; sleep 0.1; done
expect_browser_failure "a port that is taken" "port $(cat "$OUT/busy-port") on 127.0.0.1 is taken" busy-port \
  lab --port "$(cat "$OUT/busy-port")" --start-timeout 60
kill "$holder" 2>/dev/null || true
expect_browser_failure "JupyterLab that cannot start" "JupyterLab did not start" no-start \
  lab --lab-arg=--ServerApp.root_dir=/nonexistent/nnlab --start-timeout 60
mkdir -p "$OUT/silent-kernel/kernels/silent"
printf '{"argv": ["sleep", "600"], "display_name": "never answers", "language": "java"}\n' \
  > "$OUT/silent-kernel/kernels/silent/kernel.json"
JUPYTER_PATH="$OUT/silent-kernel:$JUPYTER_PATH" expect_browser_failure "a kernel that never becomes idle" \
  "the kernel never became idle" silent-kernel \
  lab --kernel silent --expect-kernel "never answers" --attempts 1 --idle-timeout 20 --screenshot lab-silent-kernel

if [ "${1:-}" = --site ]; then
  echo "opening every page of the course site (build/site) in headless Chromium ..."
  browser_test site || die "the course site check failed (see above)."
  passed=$((passed + 1))
fi
echo "$passed passed, 0 failed: browser checks"
