#!/usr/bin/env bash
# Builds a Gradescope autograder bundle for one lab: ./nnlab gradescope LAB [--out DIR] [--timeout S] [--heap MB]
# [--budget S] [--show-hidden]. Writes DIR/<lab>/ (setup.sh, run_autograder, the jar, the lab source, the solution's
# reference parts, the data files the lab loads) and DIR/<lab>.zip, the file to upload as the assignment's autograder.
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
# The data the lab loads (e.g. the 400-feature digits) goes into the bundle: Gradescope's machines have no copy.
java -cp "$jar" nnlab.grade.GradeMain data --source "$lab" --out "$dir" --init tools/init.jsh
files=(setup.sh run_autograder grading.conf nnlab.jar lab.ipynb init.jsh reference.json)
[ -d "$dir/data" ] && files+=(data)
rm -f "$out/$name.zip"
# Written with each file's Unix mode, so that unzip (Gradescope's) leaves run_autograder and setup.sh executable.
(cd "$dir" && python3 - "../$name.zip" "${files[@]}" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for top in sys.argv[2:]:
        for path in ([top] if os.path.isfile(top) else
                     sorted(os.path.join(d, f) for d, _, fs in os.walk(top) for f in fs)):
            info = zipfile.ZipInfo.from_file(path)
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
PY
)
echo "Gradescope bundle: $out/$name.zip (upload it as the autograder; the folder $dir is its content)"
