#!/usr/bin/env bash
# Runs a built bundle's run_autograder in Gradescope's layout under a temporary root, on a machine where nothing of
# the project is reachable (no NNLAB_DATA, started from /), with the lab's own solution as the submission; it must
# score full marks. Proves that the bundle carries everything the lab needs, its data included.
# Usage: tools/gradescope/test_solution.sh BUNDLE_ZIP SOLUTION.ipynb
set -euo pipefail
zip="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" solution="$2"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/source" "$root/submission"
# Unpacked from the zip, as Gradescope does, so that a file missing from the zip is missing here too.
python3 -m zipfile -e "$zip" "$root/source"
chmod +x "$root/source/run_autograder" "$root/source/setup.sh"
cp "$solution" "$root/submission/"
(cd / && env -u NNLAB_DATA AUTOGRADER_ROOT="$root" "$root/source/run_autograder") > "$root/log.txt" 2>&1 \
  || { cat "$root/log.txt"; exit 1; }
python3 - "$root/results/results.json" "$(basename "$zip")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
best = sum(t["max_score"] for t in r["tests"])
wrong = [(t["name"], t["score"], t["max_score"], t.get("output", "")[:300]) for t in r["tests"] if t["score"] != t["max_score"]]
if r["score"] != best or wrong:
    sys.exit(f"{sys.argv[2]}: the lab's own solution scores {r['score']} of {best} on the bundle: {wrong}")
print(f"ok: {sys.argv[2]}: the lab's own solution scores {r['score']} of {best} on the bundle, with only what it ships")
PY
