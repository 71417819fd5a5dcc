# Sourced by mvnw, ./tensorscope and .ci/run: makes JAVA_HOME point at a JDK 21 or newer.
# Tycho 5 and our bundles need Java 21+, while many machines still default to 17.
tensorscope_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
tensorscope_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(tensorscope_java_major "$JAVA_HOME")
    [ "${major:-0}" -ge 21 ] && return 0
  fi
  java_on_path=$(command -v java 2>/dev/null || true)
  for candidate in ${java_on_path:+"$(dirname "$(dirname "$(readlink -f "$java_on_path")")")"} \
      /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(tensorscope_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "Tensorscope needs a JDK 21 or newer; none was found. Install one and set JAVA_HOME." >&2
  return 1
}
tensorscope_select_jdk
