# shellcheck shell=bash
# Sourced by bench/e2e-run, bench/peer-alertmanager, bench/digest-run and bench/cold-start: start ./local-stack
# --no-build with the services a benchmark needs and production-like JVM flags, wait until it is ready, stop it.

# The services to start and their HTTP ports (a benchmark refuses to run while one is taken): ingest, integration, router and webhook sender
# unless the caller sets both after sourcing this file (set here, not taken from the environment, so a variable left
# in a shell cannot change what the other benchmarks start)
BENCH_STACK_SERVICES="integration-service ingest-service router-service webhook-sender"
BENCH_STACK_PORTS=(8080 8085 8086 8089)

bench_stack_refuse_busy_ports() {  # NAME: exits when a stack port is taken (a running stack would skew the figures)
  local port
  for port in 9092 8081 "${BENCH_STACK_PORTS[@]}"; do
    if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
      echo "$1: port $port is in use: stop the running stack first" >&2; exit 1
    fi
  done
}

bench_stack_own_state() {  # NAME: the stack runs in a state directory of its own, bench/target/NAME-stack, its broker
  # started empty and wiped when it stops: what earlier runs left there (a backlog of undelivered notifications, a
  # million delivered ids to load) would otherwise be measured too. The class-data archives stay.
  export LOCAL_STACK_STATE_DIR="$ROOT/bench/target/$1-stack"
  BENCH_STACK_WIPE=true
}

bench_stack_start() {  # LOG_FILE [LOCAL_STACK_OPTION...]: starts the stack in its own session; sets STACK_PID;
                       # returns once ./local-stack said "all ready" (every probe UP, and after its warm-up, which
                       # would otherwise run through the stack during the measurement)
  # production-like JIT and GC for a throughput figure (the local stack's defaults, C1 only and serial GC, favour
  # start time and memory) unless the caller measures those defaults (BENCH_STACK_LOCAL_DEFAULTS=true);
  # SERVICE_JAVA_OPTS set by the caller wins
  [[ "${BENCH_STACK_LOCAL_DEFAULTS:-}" == true ]] \
    || export SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
  local clean=()
  [[ "${BENCH_STACK_WIPE:-}" == true ]] && clean=(--clean)
  SERVICES="$BENCH_STACK_SERVICES" setsid ./local-stack --no-build "${clean[@]}" "${@:2}" >"$1" 2>&1 </dev/null &
  STACK_PID=$!
  echo "waiting for the stack (log: $1)"
  for _ in $(seq 1 300); do
    # ./local-stack says so once every readiness probe of what it started is UP and its warm-up is done
    grep -q "all ready in" "$1" && return 0
    kill -0 "$STACK_PID" 2>/dev/null || { echo "./local-stack exited; see $1" >&2; return 1; }
    sleep 1
  done
  echo "the stack was not ready within 300 s; see $1" >&2
  return 1
}

bench_stack_stop() {  # stops what bench_stack_start started (local-stack stops its children in order on TERM)
  [[ -n "${STACK_PID:-}" ]] || return 0
  kill -TERM "$STACK_PID" 2>/dev/null || true
  local stopped=false
  for _ in $(seq 1 60); do kill -0 "$STACK_PID" 2>/dev/null || { stopped=true; break; }; sleep 1; done
  $stopped || kill -KILL -- "-$STACK_PID" 2>/dev/null || true
  if [[ "${BENCH_STACK_WIPE:-}" == true ]]; then rm -rf "$LOCAL_STACK_STATE_DIR/kafka-data"; fi
}

bench_admin_key() {  # the local stack's operator key (it may act for any workspace)
  sed -n 's/^CONNECTORS_ADMIN_API_KEY=//p' "${LOCAL_STACK_STATE_DIR:-.local-stack}/secrets.env"
}
