#!/usr/bin/env bash
# Builds a Gradescope autograder bundle for one lab: ./nnlab gradescope LAB [--out DIR] [--timeout S] [--heap MB]
# [--budget S] [--show-hidden]. Writes DIR/<lab>/ (setup.sh, run_autograder, the jar, the lab source, the solution's
# reference parts) and DIR/<lab>.zip, the file to upload as the assignment's autograder.
set -euo pipefail
lab="$1"; shift
out=build/gradescope timeout=60 heap=512 budget=1800 show=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --show-hidden) show="--show-hidden"; shift ;;
    *) echo "gradescope: unknown option $1" >&2; exit 2 ;;
  esac
done
name=$(basename "$lab" .ipynb)
dir="$out/$name"
jar=$(ls target/nnlab-*-all.jar | head -1)
rm -rf "$dir" && mkdir -p "$dir"
cp tools/gradescope/setup.sh tools/gradescope/run_autograder "$dir/"
cp "$jar" "$dir/nnlab.jar"
cp "$lab" "$dir/lab.ipynb"
cp tools/init.jsh "$dir/init.jsh"
printf 'TIMEOUT=%s\nHEAP=%s\nBUDGET=%s\nSHOW_HIDDEN=%s\n' "$timeout" "$heap" "$budget" "$show" > "$dir/grading.conf"
echo "running the lab's solution for its reference parts ..."
java -cp "$jar" nnlab.grade.GradeMain reference --source "$lab" --out "$dir/reference.json" --init tools/init.jsh \
  --timeout "$timeout" --heap "$heap"
rm -f "$out/$name.zip"
(cd "$dir" && python3 -m zipfile -c "../$name.zip" setup.sh run_autograder grading.conf nnlab.jar lab.ipynb init.jsh reference.json)
echo "Gradescope bundle: $out/$name.zip (upload it as the autograder; the folder $dir is its content)"
