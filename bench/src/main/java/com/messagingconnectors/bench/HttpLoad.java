package com.messagingconnectors.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop HTTP load on POST /v1/events: {@code --concurrency} virtual threads each send one event, wait for
 * the answer, and send the next. A warm-up phase (JIT, connection pool, producer batches) is discarded; requests
 * started during the measured phase are counted and their latency recorded.
 * Prints "RESULT key=value" lines for bench/run.
 * <p>
 * The API key comes from the environment (BENCH_API_KEY), never from the command line, and is never printed;
 * the default is the local stack's documented development key, which may send events for workspace ws_demo only.
 * With an operator key, {@code --workspaces a,b,c} spreads the events over several workspaces (partition keys).
 */
public final class HttpLoad {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String LOCAL_DEV_API_KEY = "mck_dev_local_only_ws_demo";

    private final HttpClient client;
    private final URI url;
    private final int eventBytes;
    private final String authorization;
    private final List<String> workspaces;
    private final AtomicLong sequence = new AtomicLong();
    private final LatencyStats latencies = new LatencyStats();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder warmupRequests = new LongAdder();
    /** Failed measured requests by reason ("HTTP 503", "HttpTimeoutException", ...). */
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> errorSamples = new ConcurrentHashMap<>();

    /** The stack's processes ("name:pid,…", may be empty), whose CPU over the measured phase is reported. */
    private final Map<Integer, String> stack;
    private final long clockTicks;

    private HttpLoad(HttpClient client, URI url, int eventBytes, String apiKey, List<String> workspaces,
                     Map<Integer, String> stack, long clockTicks) {
        this.stack = stack;
        this.clockTicks = clockTicks;
        this.client = client;
        this.url = url;
        this.eventBytes = eventBytes;
        this.authorization = "Bearer " + apiKey;
        this.workspaces = workspaces;
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI url = URI.create(args.string("url", "http://127.0.0.1:8080/v1/events"));
        int concurrency = args.integer("concurrency", 64);
        int warmupSeconds = args.integer("warmup-seconds", 10);
        int durationSeconds = args.integer("duration-seconds", 20);
        int eventBytes = args.integer("event-bytes", 1024);
        List<String> workspaces = List.of(args.string("workspaces", "ws_demo").split(","));
        String apiKey = System.getenv().getOrDefault("BENCH_API_KEY", LOCAL_DEV_API_KEY);
        Map<Integer, String> stack = ProcessStats.parse(args.string("processes", ""));
        long clockTicks = args.integer("clock-ticks", 100);

        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder()
                     .version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(5))
                     .executor(workers)
                     .build()) {
            HttpLoad load = new HttpLoad(client, url, eventBytes, apiKey, workspaces, stack, clockTicks);
            load.checkOneEventIsAccepted();
            load.run(workers, concurrency, warmupSeconds, durationSeconds);
        }
    }

    /** Fails fast with the server's answer when the very first event is refused (wrong URL, validation). */
    private void checkOneEventIsAccepted() throws Exception {
        HttpResponse<String> response = client.send(request(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        System.out.printf("first event accepted: HTTP %d, %d-byte events, workspaces %s%n", response.statusCode(),
                eventBytes, workspaces);
    }

    private void run(ExecutorService workers, int concurrency, int warmupSeconds, int durationSeconds)
            throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long measureUntil = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
        System.out.printf("%d in flight: %d s warm-up, then %d s measured%n", concurrency, warmupSeconds,
                durationSeconds);

        // the CPU the load generator and the stack use in the measured phase only: the JIT compiles through the
        // warm-up, and counting that would charge the compiler to the requests
        Future<CpuAt> cpuAtMeasureStart = workers.submit(() -> {
            TimeUnit.NANOSECONDS.sleep(measureFrom - System.nanoTime());
            return new CpuAt(processCpuSeconds(), ProcessStats.cpuTicks(stack));
        });
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            loops.add(workers.submit(() -> loop(measureFrom, measureUntil)));
        }
        for (Future<?> loop : loops) {
            // in-flight requests finish within REQUEST_TIMEOUT after the measured phase
            loop.get(warmupSeconds + durationSeconds + REQUEST_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        }
        // closed loop: the last measured requests complete a little after measureUntil, so divide by real time
        double measuredSeconds = (System.nanoTime() - measureFrom) / 1e9;
        double measuredCpuSeconds = processCpuSeconds() - cpuAtMeasureStart.get().own();
        ProcessStats.CpuUse stackCpu = ProcessStats.CpuUse.between(cpuAtMeasureStart.get().stack(),
                ProcessStats.cpuTicks(stack), clockTicks);
        report(concurrency, measuredSeconds, measuredCpuSeconds, stackCpu);
    }

    private Void loop(long measureFrom, long measureUntil) {
        while (true) {
            long sent = System.nanoTime();
            if (sent >= measureUntil) {
                return null;
            }
            boolean measured = sent >= measureFrom;
            String failure;
            String detail = "";
            try {
                HttpResponse<String> response = client.send(request(), HttpResponse.BodyHandlers.ofString());
                failure = response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
                detail = response.body();
            } catch (Exception e) {
                failure = e.getClass().getSimpleName();
                detail = String.valueOf(e.getMessage());
            }
            long latency = System.nanoTime() - sent;
            if (!measured) {
                warmupRequests.increment();
            } else if (failure == null) {
                accepted.increment();
                latencies.recordNanos(latency);
            } else {
                errors.computeIfAbsent(failure, k -> new LongAdder()).increment();
                errorSamples.putIfAbsent(failure, detail.length() > 300 ? detail.substring(0, 300) : detail);
            }
        }
    }

    private HttpRequest request() {
        long n = sequence.incrementAndGet();
        String workspace = workspaces.get((int) (n % workspaces.size()));
        return HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(BenchEvents.reportCompleted(n, workspace, eventBytes)))
                .build();
    }

    /** This JVM's CPU seconds and the stack's processes' CPU ticks at one moment. */
    private record CpuAt(double own, Map<String, Long> stack) {
    }

    /** CPU time used by this JVM (the load generator itself), when the JVM tells. */
    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private void report(int concurrency, double measuredSeconds, double measuredCpuSeconds,
                        ProcessStats.CpuUse stackCpu) {
        long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
        errors.forEach((reason, count) -> System.out.printf("errors: %d x %s, e.g. %s%n", count.sum(), reason,
                errorSamples.get(reason)));
        System.out.printf(Locale.ROOT, "warm-up requests: %d%n", warmupRequests.sum());
        // everything this JVM sent, warm-up and the first check included, to relate the stack's CPU time to events
        System.out.printf(Locale.ROOT, "RESULT http.total_requests=%d%n",
                1 + warmupRequests.sum() + accepted.sum() + errorCount);
        System.out.printf(Locale.ROOT, "RESULT http.client_cpu_seconds=%.1f%n", processCpuSeconds());
        System.out.printf(Locale.ROOT, "RESULT http.client_cpu_ms_per_event=%.2f%n",
                measuredCpuSeconds * 1000 / Math.max(1, accepted.sum() + errorCount));
        System.out.printf(Locale.ROOT, "RESULT http.concurrency=%d%n", concurrency);
        System.out.printf(Locale.ROOT, "RESULT http.event_bytes=%d%n", eventBytes);
        System.out.printf(Locale.ROOT, "RESULT http.measured_seconds=%.1f%n", measuredSeconds);
        System.out.printf(Locale.ROOT, "RESULT http.accepted=%d%n", accepted.sum());
        System.out.printf(Locale.ROOT, "RESULT http.errors=%d%n", errorCount);
        System.out.printf(Locale.ROOT, "RESULT http.events_per_sec=%.1f%n", accepted.sum() / measuredSeconds);
        // CPU-ms per request (accepted or not) of each stack process in the measured phase: "cpu.ingest-service=0.2"
        stackCpu.ticks().keySet().forEach(name -> System.out.printf(Locale.ROOT, "RESULT http.cpu.%s=%.3f%n", name,
                stackCpu.millisPer(name, accepted.sum() + errorCount)));
        System.out.printf(Locale.ROOT, "RESULT http.latency_p50_ms=%.2f%n", latencies.percentileMillis(50));
        System.out.printf(Locale.ROOT, "RESULT http.latency_p99_ms=%.2f%n", latencies.percentileMillis(99));
        System.out.printf(Locale.ROOT, "RESULT http.latency_max_ms=%.2f%n", latencies.maxMillis());
        System.out.printf(Locale.ROOT, "RESULT http.latency_mean_ms=%.2f%n", latencies.meanMillis());
    }
}
