#!/usr/bin/env bash
# Runs a built bundle's run_autograder in Gradescope's layout under a temporary root, for every submission the
# robustness suite graded (target/grade-suite), and checks that each score equals the local grader's.
# Usage: tools/gradescope/test_local.sh BUNDLE_DIR SUITE_DIR STUDENT...
set -euo pipefail
bundle="$1" suite="$2"; shift 2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/source"
cp -r "$bundle"/. "$root/source/"
for student in "$@"; do
  rm -rf "$root/submission" "$root/results" && mkdir -p "$root/submission"
  cp "$suite/submissions/$student.ipynb" "$root/submission/"
  AUTOGRADER_ROOT="$root" "$root/source/run_autograder" > "$root/log.txt" 2>&1 || { cat "$root/log.txt"; exit 1; }
  python3 - "$root/results/results.json" "$suite/out/$student/results.json" "$student" <<'PY'
import json, sys
gs, local, who = (json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3])
a = [(t["name"], t["score"], t["extra_data"]["nnlab_status"]) for t in gs["tests"]]
b = [(t["name"], t["score"], t["extra_data"]["nnlab_status"]) for t in local["tests"]]
if gs["score"] != local["score"] or a != b:
    sys.exit(f"{who}: Gradescope bundle gives {gs['score']} {a}, the local grader {local['score']} {b}")
print(f"ok: {who}: the Gradescope bundle and the local grader both give {gs['score']}")
PY
done
