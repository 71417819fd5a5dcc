# Sourced by mvnw, ./tensorscope, the product's tensorscope script and .ci/run: makes JAVA_HOME
# point at a Java 21 or newer. Tycho 5 and our bundles need Java 21+, while many machines still
# default to 17. The build needs a JDK (javac); the product only needs a runtime: set
# tensorscope_java_need=runtime before sourcing to accept a JRE.
tensorscope_read_major() { # sets major to the Java's feature version, from its release file when it has one
  major=""
  # read by the shell itself: every process started costs milliseconds, tens of them on a busy machine
  if [ -r "$1/release" ]; then
    while IFS= read -r tensorscope_line || [ -n "$tensorscope_line" ]; do
      case $tensorscope_line in JAVA_VERSION=\"[0-9]*) major=${tensorscope_line#JAVA_VERSION=\"}; major=${major%%[!0-9]*}; break ;; esac
    done < "$1/release"
  fi
  [ -n "$major" ] || major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
}
tensorscope_java_major() { # prints it (the release file, which every Java since 9 has, spares starting a VM)
  tensorscope_read_major "$1"
  echo "$major"
}
tensorscope_java_fits() { # home: a Java 21+ with the tool this caller needs
  tool=javac
  [ "${tensorscope_java_need:-jdk}" = runtime ] && tool=java
  [ -x "$1/bin/$tool" ] && [ -x "$1/bin/java" ] || return 1
  tensorscope_read_major "$1"
  [ "${major:-0}" -ge 21 ]
}
tensorscope_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && tensorscope_java_fits "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  java_on_path=$(command -v java 2>/dev/null || true)
  java_on_path=${java_on_path:+$(readlink -f "$java_on_path")}
  for candidate in ${java_on_path:+"${java_on_path%/bin/*}"} \
      /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if tensorscope_java_fits "$candidate"; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  if [ "${tensorscope_java_need:-jdk}" = runtime ]; then
    echo "Tensorscope needs Java 21 or newer (a runtime is enough); none was found. Install one and set JAVA_HOME." >&2
  else
    echo "Building Tensorscope needs a JDK 21 or newer; none was found. Install one and set JAVA_HOME." >&2
  fi
  return 1
}
tensorscope_select_jdk
