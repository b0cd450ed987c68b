#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (Ubuntu): the grader needs only a JDK 17+.
set -euo pipefail
if ! command -v javac >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless
fi
java -version
