#!/usr/bin/env bash
# Builds the statistics kernel of tensorscope_stats.c (a measurement of docs/benchmarks.md, not part of the
# product) against the TensorFlow natives of the local Maven repository, for Linux x86_64, and prints the
# library's path: pass it to the benchmark as -Dtensorscope.benchmark.statsKernel=PATH (a path without spaces:
# it goes through the tests' argLine). Needs gcc, unzip, and the natives in the local Maven repository, which one
# ./mvnw verify puts there; MAVEN_REPOSITORY names that repository when it is not ~/.m2/repository.
set -euo pipefail
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "builds for Linux x86_64 only" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=$(sed -n 's:.*<tensorflow-java.version>\(.*\)</tensorflow-java.version>.*:\1:p' "$root/pom.xml")
jar=${MAVEN_REPOSITORY:-$HOME/.m2/repository}/org/tensorflow/tensorflow-core-native/$version/tensorflow-core-native-$version-linux-x86_64.jar
[ -f "$jar" ] || { echo "no TensorFlow natives at $jar: run ./mvnw verify once first" >&2; exit 1; }
out=$here/target
mkdir -p "$out"
unzip -q -o -j "$jar" 'org/tensorflow/internal/c_api/linux-x86_64/libtensorflow_framework.so.2' -d "$out"
gcc -O3 -std=gnu11 -Wall -Wextra -shared -fPIC "$here/tensorscope_stats.c" -o "$out/libtensorscope_stats.so" \
    -L"$out" -l:libtensorflow_framework.so.2
echo "$out/libtensorscope_stats.so"
