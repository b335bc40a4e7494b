# shellcheck shell=bash
# Sourced by ./local-stack, ./connectors-replay and bench/*: find a JDK >= 21 without the user setting JAVA_HOME
# (the machine's default java may be 17; docs/decisions/0001). JAVA_HOME if it is >= 21, else java on the PATH if
# >= 21, else the newest JDK under /usr/lib/jvm.

java_major() { # prints the major version of the given java binary, or nothing
  "$1" -version 2>&1 | head -n 1 | sed -nE 's/.*version "(1\.)?([0-9]+).*/\2/p'
}

find_java() { # prints the java binary to use; fails when there is no JDK >= 21
  local candidate major best="" best_major=0
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    major="$(java_major "$JAVA_HOME/bin/java")"
    if [[ -n "$major" && "$major" -ge 21 ]]; then echo "$JAVA_HOME/bin/java"; return 0; fi
  fi
  if candidate="$(command -v java)"; then
    major="$(java_major "$candidate")"
    if [[ -n "$major" && "$major" -ge 21 ]]; then echo "$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$(java_major "$candidate")"
    if [[ -n "$major" && "$major" -gt "$best_major" ]]; then best="$candidate"; best_major="$major"; fi
  done
  if [[ "$best_major" -ge 21 ]]; then echo "$best"; return 0; fi
  return 1
}
