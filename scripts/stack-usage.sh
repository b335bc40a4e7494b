# shellcheck shell=bash
# Sourced by bench/run, bench/delivery-run, bench/e2e-run, bench/peer-alertmanager and bench/digest-run: which
# processes make up a running ./local-stack, what each one is, and how much CPU each used — on a 2-core machine every
# figure is CPU-bound, so the split per process says what to optimise.

descendants() {  # ROOT_PID: prints ROOT_PID and the pids of all its descendants
  ps -eo pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      keep[root] = 1; changed = 1
      while (changed) { changed = 0
        for (i in pids) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } } }
      for (p in keep) print p
    }'
}

process_name() {  # PID: which part of the stack a process is, from its command line
  local argv0 args
  # 2>/dev/null before the input: a process that just exited must not print an error for its missing cmdline
  argv0=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | head -n 1 || true)
  args=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" || true)
  if [[ "$argv0" != *java ]]; then echo "scripts"; return 0; fi
  case "$args" in
    *" kafka.Kafka "*) echo kafka ;;
    *SchemaRegistryServer*) echo schema-registry ;;
    *sandbox-0.1.0-SNAPSHOT.jar*) echo sandbox ;;
    *"-jar "*-0.1.0-SNAPSHOT.jar*)  # Boot services run as -jar <module>/target/<module>-0.1.0-SNAPSHOT.jar
      args=${args#*-jar }; args=${args%%-0.1.0-SNAPSHOT.jar*}; echo "${args##*/}" ;;
    *) echo "other-java" ;;
  esac
}

process_spec() {  # ROOT_PID: "name:pid,name:pid,…" of the stack's Java processes, for the Java benches' --processes
  local pid name
  for pid in $(descendants "$1"); do
    name=$(process_name "$pid"); [[ "$name" == scripts ]] || printf '%s:%s,' "$name" "$pid"
  done
}

cpu_snapshot() {  # PID...: one "name:pid cpu_ticks" line per process (user + system time so far)
  local pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    echo "$(process_name "$pid"):$pid $({ sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null || true; } | awk '{ print $12 + $13 }')"
  done
}

cpu_table() {  # BEFORE_FILE AFTER_FILE UNITS UNIT: CPU seconds each part used in between, and per unit of work
  awk -v tck="$(getconf CLK_TCK)" -v units="$3" -v unit="$4" '
    FNR == NR { before[$1] = $2; next }
    $1 in before { split($1, key, ":"); used[key[1]] += ($2 - before[$1]) / tck }   # processes alive in both
    END {
      for (name in used) {
        total += used[name]
        if (used[name] >= 0.05) printf "    %-20s %7.1f CPU-s  %6.2f CPU-ms per %s\n", name, used[name], used[name] * 1000 / units, unit | "sort"
      }
      close("sort")
      printf "    %-20s %7.1f CPU-s  %6.2f CPU-ms per %s\n", "WHOLE STACK", total, total * 1000 / units, unit
    }' "$1" "$2"
}

rss_snapshot() {  # PID...: one "name pid rss_kib" line per process (VmRSS from /proc/<pid>/status)
  local pid rss
  for pid in "$@"; do
    [[ -r /proc/$pid/status ]] || continue
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    [[ -n "$rss" ]] || continue
    echo "$(process_name "$pid") $pid $rss"
  done
}

rss_sampler() {  # ROOT_PID WHILE_PID EVERY_SECONDS OUT_FILE: while WHILE_PID runs, appends "seconds name MiB" per
                 # part of the stack under ROOT_PID every EVERY_SECONDS
  local root=$1 while_pid=$2 every=$3 out=$4 started=$SECONDS
  while kill -0 "$while_pid" 2>/dev/null; do
    rss_snapshot $(descendants "$root") \
      | awk -v t=$((SECONDS - started)) '{ kib[$1] += $3 } END { for (n in kib) printf "%d %s %.1f\n", t, n, kib[n] / 1024 }' >>"$out"
    sleep "$every"
  done
}

rss_table() {  # FILE from rss_sampler: per stack part the first, last and highest sample, and the change
  awk '
    { if (!($2 in first)) first[$2] = $3; last[$2] = $3; if ($3 > max[$2]) max[$2] = $3; t = $1 }
    END {
      printf "    %-20s %10s %10s %10s %10s   (%d s of samples)\n", "", "first MiB", "last MiB", "max MiB", "change", t
      for (n in first) if (n != "scripts")
        printf "    %-20s %10.1f %10.1f %10.1f %+9.1f%%\n", n, first[n], last[n], max[n], 100 * (last[n] - first[n]) / first[n] | "sort"
    }' "$1"
}
