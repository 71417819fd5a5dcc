#!/usr/bin/env bash
# Checks the launch scripts without a real Java or build: the product's tensorscope script and the
# repository's ./tensorscope run against stub java, uname and mvnw; the Windows script, which
# cannot run here, is checked for what it must contain. Usage: launcher-check.sh [REPOSITORY]
set -u
repo=$(cd "${1:-$(dirname "$0")/../../..}" && pwd)
rootfiles="$repo/features/org.tensorscope.feature/rootfiles"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- stubs: a Java runtime without javac that logs its arguments, uname, and a Java 17 ---
stub_java() { # home major: java that answers the version probe and logs every start
  mkdir -p "$1/bin"
  cat > "$1/bin/java" <<STUB
#!/bin/sh
case "\$*" in *-XshowSettings:properties*) echo "    java.specification.version = $2" >&2; exit 0 ;; esac
echo "\$*" >> "$work/java.log"
echo java >> "$work/programs.log"
starts=\$(wc -l < "$work/java.log")
# a VM asked for an AOT cache writes it at its exit, as Java 25+ does; one recording for a cache writes
# what it loaded and says so on stdout (stderr with DisplayVMOutputToStderr); one creating a cache
# from a recording writes it in two halves, the second once the test lets it (no hold-assembly file)
mode="" conf="" cache="" to=1
for arg in "\$@"; do case "\$arg" in
  -XX:AOTCacheOutput=*) echo cache > "\${arg#-XX:AOTCacheOutput=}" ;;
  -XX:AOTMode=*) mode=\${arg#-XX:AOTMode=} ;;
  -XX:AOTConfiguration=*) conf=\${arg#-XX:AOTConfiguration=} ;;
  -XX:AOTCache=*) cache=\${arg#-XX:AOTCache=} ;;
  -XX:+DisplayVMOutputToStderr) to=2 ;;
esac; done
case "\$mode" in
  record) echo "recorded by \$\$" > "\$conf"; echo " AOTConfiguration recorded: \$conf" >&\$to ;;
  create) [ -s "\$conf" ] || exit 1; echo "half of" > "\$cache"
    while [ -e "$work/hold-assembly" ]; do sleep 0.1; done
    cat "\$conf" >> "\$cache"; exit 0 ;;
esac
# a start stopped by a signal: the launching script gets TERM while Java runs, and Java ends by it too
[ -n "\${STUB_TERMINATE:-}" ] && { kill -TERM "\$PPID"; exit 143; }
# the first start of a workbench asks to be restarted, as after installing software
case "\$*" in *-consoleLog*) [ "\$starts" -eq 1 ] && exit 23 ;; esac
exit 0
STUB
  chmod +x "$1/bin/java"
}
stub_java "$work/jre21" 21
stub_java "$work/jre17" 17
stub_java "$work/jre25" 25
mkdir -p "$work/bin"
printf '#!/bin/sh\ncase "$*" in "-s -m") echo "${STUB_OS:-Linux} ${STUB_ARCH:-x86_64}" ;; -m) echo "${STUB_ARCH:-x86_64}" ;; *) echo "${STUB_OS:-Linux}" ;; esac\n' > "$work/bin/uname"
chmod +x "$work/bin/uname"
export PATH="$work/bin:$PATH"
# the same programs, each noting in programs.log that it ran: a start that runs many before Java starts
# waits milliseconds for each
mkdir -p "$work/noted"
for tool in uname ls sed sort tail head cut tr dirname basename getconf nproc mktemp grep awk cksum cat mkdir mkfifo \
    find rm mv readlink date touch wc; do
  real=$(command -v "$tool") || continue
  printf '#!/bin/sh\necho %s >> "%s"\nexec "%s" "$@"\n' "$tool" "$work/programs.log" "$real" > "$work/noted/$tool"
  chmod +x "$work/noted/$tool"
done
# counted with a Java that has its release file, as every Java since 9 has, once the start's AOT cache is made
stub_java "$work/jre25-counted" 25
echo 'JAVA_VERSION="25.0.1"' > "$work/jre25-counted/release"
counted_start() { # starts the product twice, the second time noting the programs it runs
  for run in first second; do
    rm -f "$work/programs.log"
    PATH="$work/noted:$PATH" JAVA_HOME="$work/jre25-counted" XDG_CACHE_HOME="$work/xdg-counted" \
      TENSORSCOPE_NATIVE_LOG="$work/native.log" "$product/tensorscope" "$@" >"$work/out" 2>"$work/err"
    for _ in $(seq 100); do
      ls "$work/xdg-counted/tensorscope/aot" 2>/dev/null | grep -q '\.aotconf$\|\.tmp$' || break
      sleep 0.1
    done
  done
}
before_java() { # the programs the start ran before Java, but awk, grep and rm, which the log filter runs alongside Java
  sed '/^java$/q' "$work/programs.log" 2>/dev/null | grep -v '^java$\|^awk$\|^grep$\|^rm$' | tr '\n' ' '
}

# --- the product's script ---
product="$work/product"
mkdir -p "$product/plugins"
cp "$rootfiles/tensorscope" "$rootfiles/cli-commands" "$repo/.mvn/select-jdk.sh" "$product/"
for version in 1.6.900.v20240613-2009 1.10.0.v20250101-0000 1.6.1000.v20241201-0000; do
  touch "$product/plugins/org.eclipse.equinox.launcher_$version.jar"
done
run_product() { # runs the product script with the stub Java, resetting its log
  rm -f "$work/java.log"; touch "$work/java.log"
  JAVA_HOME="$work/jre21" STUB_OS="${STUB_OS:-Linux}" "$product/tensorscope" "$@" >"$work/out" 2>"$work/err"
}

run_product version
code=$?
[ "$code" -eq 0 ] || fail "product script with a Java 21 runtime without javac: exit $code: $(cat "$work/err")"
grep -q -- "-application org.tensorscope.cli.app .*version" "$work/java.log" 2>/dev/null \
  || fail "'tensorscope version' did not start the command line: $(cat "$work/java.log" 2>/dev/null)"
grep -q "launcher_1.10.0.v20250101-0000.jar" "$work/java.log" 2>/dev/null \
  || fail "the newest launcher jar (1.10.0) was not used: $(cat "$work/java.log" 2>/dev/null)"

# no pipe can be made for Java's standard error (no temporary folder): Java still runs, unfiltered
TMPDIR="$work/no-such-folder" run_product version
grep -q -- "-application org.tensorscope.cli.app .*version" "$work/java.log" \
  || fail "without a temporary folder 'tensorscope version' did not start Java: $(cat "$work/err")"

# a start stopped by a signal leaves no pipe behind in the temporary folder (the filter removes it
# once Java has opened it, which may come just after the script's end)
mkdir -p "$work/tmp-stopped"
TMPDIR="$work/tmp-stopped" STUB_TERMINATE=1 run_product version
code=$?
[ "$code" -eq 143 ] || fail "a start stopped by TERM: exit $code, not 143"
for _ in $(seq 50); do [ -z "$(ls "$work/tmp-stopped")" ] && break; sleep 0.1; done
[ -z "$(ls "$work/tmp-stopped")" ] || fail "a start stopped by TERM left $(ls "$work/tmp-stopped") behind"

while read -r word; do
  case "$word" in ''|'#'*) continue ;; esac
  run_product "$word"
  grep -q -- "-application org.tensorscope.cli.app" "$work/java.log" || fail "'$word' (in cli-commands) did not start the command line"
done < "$rootfiles/cli-commands"

# --- the command line's own configuration: the installation's bundles without the workbench's UI ---
cp "$rootfiles/cli-skipped-bundles" "$product/"
mkdir -p "$product/configuration/org.eclipse.equinox.simpleconfigurator"
printf '%s\n' 'eclipse.application=org.tensorscope.ui.application' 'eclipse.p2.profile=DefaultProfile' \
  'org.eclipse.equinox.simpleconfigurator.configUrl=file\:org.eclipse.equinox.simpleconfigurator/bundles.info' \
  'osgi.bundles.defaultStartLevel=4' > "$product/configuration/config.ini"
printf '%s\n' '#version=1' 'org.eclipse.swt,3.1,plugins/org.eclipse.swt_3.1.jar,4,false' \
  'org.eclipse.ui.workbench,3.1,plugins/org.eclipse.ui.workbench_3.1.jar,4,false' \
  'org.tensorscope.ui.charts,0.1,plugins/org.tensorscope.ui.charts_0.1.jar,4,false' \
  'org.tensorscope.cli,0.1,plugins/org.tensorscope.cli_0.1.jar,4,false' \
  'org.eclipse.core.runtime,3.3,plugins/org.eclipse.core.runtime_3.3.jar,4,true' \
  > "$product/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
cli_conf="$product/configuration/cli"
run_product info m.json
grep -q -- "-configuration $cli_conf -application org.tensorscope.cli.app\|-configuration $cli_conf .*info m.json" "$work/java.log" \
  || fail "the command line did not start with its own configuration: $(cat "$work/java.log")"
cut -d, -f1 "$cli_conf/bundles.info" 2>/dev/null | tr '\n' ' ' | grep -qx '#version=1 org.tensorscope.cli org.eclipse.core.runtime ' \
  || fail "the command line's bundles are not the installation's without the UI: $(cat "$cli_conf/bundles.info" 2>/dev/null)"
grep -qx 'org.eclipse.equinox.simpleconfigurator.configUrl=file\\:bundles.info' "$cli_conf/config.ini" 2>/dev/null \
  || fail "the command line's config.ini does not read its own bundle list: $(cat "$cli_conf/config.ini" 2>/dev/null)"
grep -q 'eclipse\.application\|eclipse\.p2' "$cli_conf/config.ini" && fail "the command line's config.ini names the workbench or p2"
grep -qx 'ds.cache.metadata=true' "$cli_conf/config.ini" || fail "the command line's components' descriptions are parsed at every start"
mkdir -p "$cli_conf/org.eclipse.osgi" # the framework's cached state, made from the list before
sleep 1
echo 'org.tensorscope.onnx,0.1,plugins/org.tensorscope.onnx_0.1.jar,4,false' \
  >> "$product/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
run_product info m.json
grep -q '^org.tensorscope.onnx,' "$cli_conf/bundles.info" || fail "a bundle installed later does not reach the command line"
[ -d "$cli_conf/org.eclipse.osgi" ] && fail "the framework's state cached from the old bundle list was kept"
run_product model.pb
grep -q -- "-configuration" "$work/java.log" && fail "the workbench started with the command line's configuration"

# --- the commands that open a model start the inference worker early, from the core bundle ---
cp "$rootfiles/cli-commands" "$product/"
touch "$product/plugins/org.tensorscope.core_0.1.jar"
echo 'org.tensorscope.core,0.1,plugins/org.tensorscope.core_0.1.jar,4,false' \
  >> "$product/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
echo 'saved' > "$cli_conf/worker-plan.properties" # the worker's plan, saved from the list before
sleep 1
early_main="-cp $product/plugins/org.eclipse.equinox.launcher_1.10.0.v20250101-0000.jar:$product/plugins/org.tensorscope.core_0.1.jar org.tensorscope.core.internal.worker.EarlyWorker"
run_product trace m.json
[ -f "$cli_conf/worker-plan.properties" ] && fail "the worker's plan saved from the old bundle list was kept"
grep -q -- "-Dtensorscope.worker.plan=$cli_conf/worker-plan.properties .*$early_main -nosplash -application org.tensorscope.cli.app -data @none -configuration $cli_conf trace m.json" "$work/java.log" \
  || fail "'trace' did not start the worker early with the command line's plan: $(cat "$work/java.log")"
grep -q -- "-XX:TieredStopAtLevel=1 .*-application org.tensorscope.cli.app" "$work/java.log" \
  || fail "the command line does not compile with the quick compiler only: $(cat "$work/java.log")"
rm -f "$work/java.log"; touch "$work/java.log"
TENSORSCOPE_VMARGS=-XX:TieredStopAtLevel=4 JAVA_HOME="$work/jre21" "$product/tensorscope" trace m.json >"$work/out" 2>"$work/err"
grep -q -- "-XX:TieredStopAtLevel=1 .*-XX:TieredStopAtLevel=4 .*-application" "$work/java.log" \
  || fail "TENSORSCOPE_VMARGS cannot change the command line's compiler: $(cat "$work/java.log")"
run_product model.pb
grep -q -- "-XX:TieredStopAtLevel" "$work/java.log" && fail "the workbench compiles with the quick compiler only"
grep -q -- "-XX:MinHeapSize=512m -XX:InitialHeapSize=512m .*-Xmx4g .*-jar .*equinox.launcher" "$work/java.log" \
  || fail "the workbench does not keep a heap of 512 MB: $(cat "$work/java.log")"
grep -q -- "-Xms" "$work/java.log" && fail "the workbench's initial heap is given by -Xms, which the inference worker inherits"
TENSORSCOPE_MAX_HEAP=256m run_product model.pb
grep -q -- "-Xmx256m" "$work/java.log" || fail "TENSORSCOPE_MAX_HEAP did not set the workbench's maximum heap: $(cat "$work/java.log")"
grep -q -- "HeapSize" "$work/java.log" && fail "with a maximum heap under 512 MB the workbench asks for an initial heap above it"
TENSORSCOPE_VMARGS=-Xms1g run_product model.pb
grep -q -- "-Xms1g" "$work/java.log" || fail "TENSORSCOPE_VMARGS cannot change the workbench's initial heap: $(cat "$work/java.log")"
grep -q -- "HeapSize" "$work/java.log" && fail "TENSORSCOPE_VMARGS sizes the heap, and the workbench still asks for 512 MB"
TENSORSCOPE_VMARGS=-Xmx256m run_product model.pb
grep -q -- "HeapSize" "$work/java.log" && fail "with -Xmx256m in TENSORSCOPE_VMARGS the workbench asks for a heap of 512 MB, and its VM would not start"
run_product trace m.json
grep -q -- "HeapSize" "$work/java.log" && fail "a command keeps the workbench's initial heap"
run_product model.pb
if [ "$(getconf _NPROCESSORS_ONLN)" -le 2 ]; then
  grep -q -- "-XX:Tier4InvocationThreshold=20000 .*-XX:Tier4BackEdgeThreshold=400000 .*-jar .*equinox.launcher" "$work/java.log" \
    || fail "on two cores the workbench leaves its start's code to the optimising compiler: $(cat "$work/java.log")"
else
  grep -q -- "-XX:Tier4InvocationThreshold" "$work/java.log" && fail "with more than two cores the workbench changes C2's call counts"
fi
run_product trace m.json
grep -q -- "--enable-native-access=ALL-UNNAMED" "$work/java.log" \
  || fail "started from the class path, the command line lacks the native access the launcher jar grants: $(cat "$work/java.log")"
while read -r word; do
  case "$word" in ''|'#'*) continue ;; esac
  run_product "$word" m.json
  case " $(sed -n 's/^#model-commands://p' "$rootfiles/cli-commands") " in
    *" $word "*) grep -q -- "$early_main" "$work/java.log" || fail "'$word' opens a model but did not start the worker early" ;;
    *) grep -q -- "EarlyWorker\|tensorscope.worker.plan" "$work/java.log" && fail "'$word' opens no model but started a worker early"
       grep -q -- "-jar $product/plugins/org.eclipse.equinox.launcher_1.10.0.v20250101-0000.jar -nosplash" "$work/java.log" \
         || fail "'$word' did not start the launcher jar: $(cat "$work/java.log")" ;;
  esac
done < "$rootfiles/cli-commands"
rm -f "$work/java.log"; touch "$work/java.log"
TENSORSCOPE_WORKER=in-process JAVA_HOME="$work/jre21" "$product/tensorscope" trace m.json >"$work/out" 2>"$work/err"
grep -q -- "EarlyWorker" "$work/java.log" && fail "TENSORSCOPE_WORKER=in-process started a worker early"
grep -q -- "-Dtensorscope.worker=in-process -Djava.awt.headless=true -jar " "$work/java.log" \
  || fail "TENSORSCOPE_WORKER=in-process did not run models in the command line's VM: $(cat "$work/java.log")"
# --- Java 25+: the command line's own AOT caches, recorded by a first command, assembled after it ---
aot="$work/xdg-cli/tensorscope/aot"
cli_aot() { # the product script with the stub Java 25 and a cache folder of the test's own
  rm -f "$work/java.log"; touch "$work/java.log"
  JAVA_HOME="$work/jre25" XDG_CACHE_HOME="$work/xdg-cli" "$product/tensorscope" "$@" >"$work/out" 2>"$work/err"
}
assembled() { # waits (10 s at most) until no recording waits for its assembly
  for _ in $(seq 100); do
    ls "$aot" | grep -q '\.aotconf$\|\.tmp$' || return 0
    sleep 0.1
  done
  fail "the command line's AOT cache was not assembled: $(ls "$aot")"
}
uses_cache() { grep -v -- "-XX:AOTMode=create" "$work/java.log" | grep -q -- "-XX:AOTCache="; } # not the assembly's line
records() { grep -q -- "-XX:AOTMode=record -XX:AOTConfiguration=$aot/cli-[0-9]*-[0-9]*\.[0-9]*\.aotconf " "$work/java.log"; }
cli_aot trace m.json
first=$(sed -n 1p "$work/java.log")
records || fail "the first 'trace' on Java 25 did not record for an AOT cache: $first"
case "$first" in *"-XX:+DisplayVMOutputToStderr"*"$early_main"*) ;; *) fail "the recording command line does not start as before: $first" ;; esac
case "$first" in *"-Dtensorscope.aot.folder=$aot "*) ;; *) fail "the worker was not given the cache folder: $first" ;; esac
grep -q "AOTConfiguration" "$work/out" "$work/err" && fail "the JVM's note about its recording reached the terminal: $(cat "$work/out" "$work/err")"
grep -q "AOTConfiguration recorded" "$work/xdg-cli/tensorscope/native.log" || fail "the JVM's note about its recording was not logged"
assembled
grep -q -- "-XX:AOTMode=create -XX:AOTConfiguration=$aot/cli-[0-9.-]*aotconf -XX:AOTCache=$aot/cli-[0-9]*-[0-9]*\.aot\.[0-9]*\.tmp .*$early_main" "$work/java.log" \
  || fail "the cache was not assembled with the recording command's options: $(cat "$work/java.log")"
made=$(ls "$aot"/cli-*.aot 2>/dev/null)
[ "$(ls "$aot")" = "$(basename "$made")" ] || fail "the assembly left other files than its cache: $(ls "$aot")"
[ "$(sed -n 1p "$made" 2>/dev/null)" = "half of" ] && grep -q "^recorded by" "$made" || fail "the cache is not the complete assembly: $(cat "$made")"
cli_aot trace m.json
grep -q -- "-XX:AOTCache=$made -Xlog:aot\*=off -Xlog:cds\*=off .*$early_main" "$work/java.log" || fail "the next 'trace' did not use the cache: $(cat "$work/java.log")"
records && fail "a command with a cache recorded again"
counted_start trace m.json
grep -q -- "-XX:AOTCache=.*EarlyWorker" "$work/java.log" || fail "the counted 'trace' did not start with its cache: $(tail -n 1 "$work/java.log")"
[ "$(before_java | wc -w)" -le 6 ] || fail "'trace' ran more than six programs before Java: $(before_java)"
cli_aot version
records || fail "'version', which starts without a worker, did not record its own cache: $(cat "$work/java.log")"
grep -q -- "-XX:AOTCache=$made" "$work/java.log" && fail "'version' used the cache of 'trace', made with another class path"
assembled
# two at once: the second starts while the first's cache is being written, and must not use half of it
rm -f "$aot"/*
touch "$work/hold-assembly"
cli_aot trace m.json
for _ in $(seq 50); do ls "$aot" | grep -q '\.tmp$' && break; sleep 0.1; done
ls "$aot" | grep -q '\.tmp$' || fail "the first command's assembly was not under way: $(ls "$aot")"
cli_aot trace m.json
rm -f "$work/hold-assembly"
uses_cache && fail "a command used a cache still being assembled: $(cat "$work/java.log")"
assembled
[ "$(ls "$aot"/cli-*.aot | wc -l)" -eq 1 ] && [ "$(ls "$aot" | wc -l)" -eq 1 ] || fail "two commands at once left: $(ls "$aot")"
grep -q "^recorded by" "$aot"/cli-*.aot || fail "two commands at once left a partial cache"
# not across builds or Javas: another bundle list, a launcher jar replaced in place, another Java build
sleep 1
echo 'org.tensorscope.extra,0.1,plugins/org.tensorscope.extra_0.1.jar,4,false' \
  >> "$product/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
cli_aot trace m.json
records || fail "a cache made before the bundle list changed was not made again: $(cat "$work/java.log")"
uses_cache && fail "a cache made with another bundle list was used"
assembled
cli_aot trace m.json
uses_cache || fail "the cache of the new bundle list was not used: $(cat "$work/java.log")"
sleep 1; touch "$product/plugins/org.eclipse.equinox.launcher_1.10.0.v20250101-0000.jar"
cli_aot trace m.json
uses_cache && fail "a cache older than the launcher jar was used"
records || fail "a cache older than the launcher jar was not made again"
assembled
echo 'JAVA_VERSION="25.0.9"' > "$work/jre25/release"
cli_aot trace m.json
uses_cache && fail "a cache made with another Java build was used: $(cat "$work/java.log")"
assembled
rm -f "$work/jre25/release"
# the caches of earlier builds go once a new one is in place: the newest six of this installation stay;
# another installation's stay whatever their number, unless none was made for a month
installation=$(printf %s "$product" | cksum | cut -d ' ' -f 1)
rm -f "$aot"/*
for i in 1 2 3 4 5 6 7 8; do
  echo earlier > "$aot/cli-$installation-old$i.aot"; touch -d "$((10 - i)) hours ago" "$aot/cli-$installation-old$i.aot"
  echo other > "$aot/cli-1-other$i.aot"; touch -d "$((10 - i)) hours ago" "$aot/cli-1-other$i.aot"
done
echo unused > "$aot/cli-2-unused.aot"; touch -d "40 days ago" "$aot/cli-2-unused.aot"
for unused in workbench-2-unused.aot worker-2-unused.aot framework-2-unused.jar; do
  echo unused > "$aot/$unused"; touch -d "40 days ago" "$aot/$unused"
done
cli_aot trace m.json
assembled
kept=$(cd "$aot" && ls cli-*.aot | tr '\n' ' ')
[ "$(cd "$aot" && ls cli-"$installation"-old*.aot | sed "s/^cli-$installation-//" | tr '\n' ' ')" = "old4.aot old5.aot old6.aot old7.aot old8.aot " ] \
  && [ "$(cd "$aot" && ls cli-*.aot | grep -c "^cli-$installation-[0-9]*\.aot$")" -eq 1 ] \
  || fail "not the five newest earlier caches and the new one kept: $kept"
[ "$(cd "$aot" && ls cli-1-other*.aot | wc -l)" -eq 8 ] || fail "another installation's caches were pruned: $kept"
ls "$aot" | grep -q unused && fail "caches not made for a month were kept: $(ls "$aot")"
# --verbose shows the VM's output as it is: it never records; Java 21 and the user's own AOT options get nothing
rm -f "$aot"/*
cli_aot trace m.json --verbose
grep -q -- "-XX:AOT" "$work/java.log" && fail "a --verbose command recorded a cache: $(cat "$work/java.log")"
rm -f "$work/java.log"; touch "$work/java.log"
JAVA_HOME="$work/jre21" XDG_CACHE_HOME="$work/xdg-cli" "$product/tensorscope" trace m.json >"$work/out" 2>"$work/err"
grep -q -- "-XX:AOT\|tensorscope.aot" "$work/java.log" && fail "a Java 21 command line was given AOT cache options: $(cat "$work/java.log")"
TENSORSCOPE_VMARGS="-XX:AOTCache=mine.aot" cli_aot trace m.json
grep -q -- "-XX:AOTMode\|tensorscope.aot" "$work/java.log" && fail "TENSORSCOPE_VMARGS' own AOT options were added to: $(cat "$work/java.log")"
rm "$product/plugins/org.tensorscope.core_0.1.jar"
run_product trace m.json
grep -q -- "EarlyWorker" "$work/java.log" && fail "a worker was started early from a core bundle that is not there"
grep -q -- "-jar .*-application org.tensorscope.cli.app" "$work/java.log" || fail "without the core bundle, 'trace' did not start: $(cat "$work/java.log")"
rm -rf "$product/configuration" "$product/cli-skipped-bundles"

# a Java whose release file says 21 is taken without starting it to ask its version
mkdir -p "$work/jre-release/bin"
cp "$work/jre17/bin/java" "$work/jre-release/bin/java"
echo 'JAVA_VERSION="21.0.4"' > "$work/jre-release/release"
rm -f "$work/java.log"; touch "$work/java.log"
JAVA_HOME="$work/jre-release" "$product/tensorscope" version >"$work/out" 2>"$work/err" \
  || fail "a Java 21 known from its release file was refused: $(cat "$work/err")"

run_product model.pb
code=$?
[ "$code" -eq 0 ] || fail "workbench restarted after exit 23 should end with 0, got $code"
starts=$(grep -c -- -consoleLog "$work/java.log" 2>/dev/null)
[ "${starts:-0}" -eq 2 ] || fail "exit 23 did not restart the workbench once: $(cat "$work/java.log")"
grep -q -- "-application" "$work/java.log" && fail "a model argument started the command line"

grep -q -- "-XX:AOT" "$work/java.log" && fail "a Java 21 was given AOT cache options: $(cat "$work/java.log")"

# Java 25+: the workbench's first start records what it loaded, and once it has ended a process in the
# background assembles the cache (here the restart after exit 23 is the second start, which comes while
# the assembly is under way and must neither use nor record a cache)
aot_run() { # the product script with the stub Java 25 and a cache folder of the test's own
  rm -f "$work/java.log"; touch "$work/java.log"
  JAVA_HOME="$work/jre25" XDG_CACHE_HOME="$work/xdg" TENSORSCOPE_NATIVE_LOG="$work/native.log" \
    "$product/tensorscope" "$@" >"$work/out" 2>"$work/err"
}
wb_aot="$work/xdg/tensorscope/aot"
wb_assembled() { # waits (at most 10 s) for the background assembly to end
  for _ in $(seq 100); do
    ls "$wb_aot" 2>/dev/null | grep -q '\.aotconf$\|\.tmp$' || return 0
    sleep 0.1
  done
  fail "the workbench's AOT cache was still being assembled after 10 s: $(ls "$wb_aot")"
}
touch "$work/hold-assembly"
aot_run model.pb
first=$(grep -- -consoleLog "$work/java.log" | sed -n 1p) second=$(grep -- -consoleLog "$work/java.log" | sed -n 2p)
case "$first" in *"-XX:AOTMode=record -XX:AOTConfiguration=$wb_aot/workbench-"*.aot.[0-9]*.aotconf" "*) ;;
  *) fail "the first workbench start on Java 25 did not record for an AOT cache: $first" ;; esac
case "$second" in *-XX:AOTCache*|*-XX:AOTMode*) fail "the start while the cache was assembled used or recorded one: $second" ;; esac
ls "$wb_aot" | grep -q '\.tmp$' || fail "the recording was not being assembled: $(ls "$wb_aot")"
rm -f "$work/hold-assembly"
wb_assembled
grep -q -- "-XX:AOTMode=create -XX:AOTConfiguration=$wb_aot/workbench-[0-9]*-[0-9]*\\.aot\\.[0-9]*\\.aotconf -XX:AOTCache=$wb_aot/workbench-[0-9]*-[0-9]*\.aot\.[0-9]*\.tmp .*-jar " \
  "$work/java.log" || fail "the workbench's cache was not assembled from its recording: $(cat "$work/java.log")"
grep -q "AOTConfiguration recorded" "$work/out" "$work/err" && fail "the JVM's note about its recording reached the console"
grep -q "AOTConfiguration recorded" "$work/native.log" || fail "the JVM's note about its recording was not logged"
made=$(ls "$wb_aot"/workbench-*.aot)
[ "$(ls "$wb_aot")" = "$(basename "$made")" ] || fail "the assembly left other files than its cache: $(ls "$wb_aot")"
grep -q "^recorded by" "$made" || fail "the workbench's cache is not the complete assembly: $(cat "$made")"
aot_run model.pb
grep -q -- "-XX:AOTCache=$made " "$work/java.log" || fail "the start after the assembly did not use its cache: $(cat "$work/java.log")"
grep -q -- "-XX:AOTMode=record" "$work/java.log" && fail "a workbench start with a cache recorded again"
counted_start model.pb
grep -q -- "-XX:AOTCache=.*-consoleLog" "$work/java.log" || fail "the counted workbench did not start with its cache: $(tail -n 1 "$work/java.log")"
[ "$(before_java | wc -w)" -le 5 ] || fail "a workbench start with its cache ran more than five programs before Java: $(before_java)"
# the JVM's temporary file of the one-step way earlier versions used, left by a start killed early,
# and an assembly's leftovers go an hour on
for left in "$made.999999998.config" "$made.999999997.aotconf" "$made.999999997.tmp"; do
  echo left > "$left"; touch -d "2 hours ago" "$left"
done
rm -f "$made"
aot_run model.pb
wb_assembled
ls "$wb_aot" | grep -q '999999' && fail "a stopped start's or assembly's leftovers stayed: $(ls "$wb_aot")"
# an earlier build's workbench caches go, the newest one beside the cache in use stays; another
# installation's stay
installation=$(printf %s "$product" | cksum | cut -d ' ' -f 1)
for i in 1 2 3; do
  echo earlier > "$work/xdg/tensorscope/aot/workbench-$installation-old$i.aot"
  touch -d "$((5 - i)) hours ago" "$work/xdg/tensorscope/aot/workbench-$installation-old$i.aot"
  echo other > "$work/xdg/tensorscope/aot/workbench-1-other$i.aot"
done
aot_run model.pb
[ "$(cd "$work/xdg/tensorscope/aot" && ls workbench-*.aot | grep -c old)" = 1 ] \
  && [ -e "$work/xdg/tensorscope/aot/workbench-$installation-old3.aot" ] \
  && [ "$(cd "$work/xdg/tensorscope/aot" && ls workbench-1-other*.aot | wc -l)" -eq 3 ] \
  && [ -s "$made" ] || fail "not the cache in use, the newest earlier one and another installation's kept: $(ls "$work/xdg/tensorscope/aot")"
TENSORSCOPE_VMARGS="-XX:AOTCache=mine.aot" aot_run model.pb
grep -q -- "-XX:AOTCacheOutput" "$work/java.log" && fail "TENSORSCOPE_VMARGS' own AOT options were overridden: $(cat "$work/java.log")"

STUB_OS=Darwin run_product model.pb
grep -q -- "-XstartOnFirstThread" "$work/java.log" || fail "no -XstartOnFirstThread on macOS: $(cat "$work/java.log")"

rm -f "$work/java.log"
JAVA_HOME="$work/jre17" PATH="$work/bin:/usr/bin:/bin" "$product/tensorscope" version >"$work/out" 2>"$work/err"
code=$?
if [ -x /usr/lib/jvm ] || [ -d /Library/Java ]; then
  : # a real Java 21 may be found on this machine: only check that Java 17 was not used
  grep -q "launcher" "$work/java.log" 2>/dev/null && fail "the product started with Java 17"
else
  [ "$code" -eq 2 ] || fail "with only Java 17, exit $code, expected 2"
fi

# --- the repository's ./tensorscope from another folder, with a stub build ---
fake="$work/repo"
mkdir -p "$fake/.mvn" "$work/elsewhere"
cp "$repo/tensorscope" "$fake/"
cp "$repo/.mvn/select-jdk.sh" "$fake/.mvn/"
echo '<project/>' > "$fake/pom.xml"
cat > "$fake/mvnw" <<'STUB'
#!/bin/sh
pwd > target/mvnw-ran-in
[ -f pom.xml ] || { echo "no POM in this directory" >&2; exit 1; }
case "$(uname -s)" in
  Darwin) dir=product/target/products/org.tensorscope.product/macosx/cocoa/aarch64/Eclipse.app/Contents/Eclipse ;;
  *) dir=product/target/products/org.tensorscope.product/linux/gtk/x86_64 ;;
esac
mkdir -p "$dir"
printf '#!/bin/sh\necho "product $*"\n' > "$dir/tensorscope"
chmod +x "$dir/tensorscope"
STUB
chmod +x "$fake/mvnw"
for os in Linux Darwin; do
  arch=x86_64; [ "$os" = Darwin ] && arch=arm64
  rm -rf "$fake/target" "$fake/product"
  (cd "$work/elsewhere" && JAVA_HOME="$work/jre21" STUB_OS=$os STUB_ARCH=$arch "$fake/tensorscope" info m.json) >"$work/out" 2>"$work/err"
  code=$?
  [ "$code" -eq 0 ] || fail "./tensorscope on $os from another folder: exit $code: $(cat "$work/err")"
  [ "$(cat "$fake/target/mvnw-ran-in" 2>/dev/null)" = "$fake" ] || fail "./tensorscope on $os ran mvnw in $(cat "$fake/target/mvnw-ran-in" 2>/dev/null), not in the repository"
  grep -qx "product info m.json" "$work/out" || fail "./tensorscope on $os did not start the product with its arguments: $(cat "$work/out")"
done
grep -q 'Eclipse.app/Contents/Eclipse' "$repo/README.md" || fail "README no longer says where the macOS script is; check ./tensorscope"

# --- the Windows script: it cannot run here, so check what it must do ---
cmd="$rootfiles/tensorscope.cmd"
grep -q 'if "%CODE%"=="23" goto workbench' "$cmd" || fail "tensorscope.cmd does not restart the workbench on exit 23"
grep -q 'LSS 21' "$cmd" || fail "tensorscope.cmd does not check for Java 21+"
grep -q 'JAVA_HOME' "$cmd" || fail "tensorscope.cmd ignores JAVA_HOME"
grep -q 'cli-commands' "$cmd" || fail "tensorscope.cmd does not read cli-commands"
grep -q 'Sort-Object' "$cmd" || fail "tensorscope.cmd does not pick the newest launcher jar"
grep -q $'\r$' "$cmd" || fail "tensorscope.cmd has no CRLF line ends"

# --- one command list: no launcher spells the commands itself ---
for script in "$rootfiles/tensorscope" "$cmd" "$repo/tensorscope"; do
  grep -nE '(version|info|run|trace)[ |]+(info|run|trace|help)' "$script" | grep -v '^[0-9]*:\s*\(#\|rem \)' \
    && fail "$(basename "$script") lists the CLI commands itself instead of reading cli-commands"
done

if [ "$failures" -eq 0 ]; then
  echo "launcher check: passed"
else
  exit 1
fi
