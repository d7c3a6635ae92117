#!/usr/bin/env bash
# Spark needs Java 17 or later. Use the one on PATH (or JAVA_HOME) when it is
# recent enough; otherwise install Debian's openjdk-17-jre-headless (as root,
# or through sudo). Prints the java it found.
set -euo pipefail

java_major() {
    "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

candidate="${JAVA_HOME:+$JAVA_HOME/bin/java}"
candidate="${candidate:-$(command -v java || true)}"
if [[ -n "$candidate" && -x "$candidate" ]] && (( $(java_major "$candidate") >= 17 )); then
    echo "java $(java_major "$candidate"): $candidate"
    exit 0
fi

echo "Java 17 or later not found: installing openjdk-17-jre-headless (Debian)"
sudo_cmd=""
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "not root and no sudo: install Java 17 by hand" >&2; exit 1; }
    sudo_cmd="sudo"
fi
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq openjdk-17-jre-headless >/dev/null
java="$(command -v java)"
echo "java $(java_major "$java"): $java"
