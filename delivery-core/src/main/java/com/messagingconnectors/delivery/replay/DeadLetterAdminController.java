package com.messagingconnectors.delivery.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' dead-letter API of a sender, open to the operator's admin key only ({@code Authorization: Bearer
 * <key>}; the route rule is in {@link DeadLetterReplayAutoConfiguration}):
 * <ul>
 * <li>{@code GET /admin/dead-letters?workspace=&destination=&type=&error=&from=&to=&ids=&records=&limit=} lists
 * matching dead letters, oldest first;</li>
 * <li>{@code POST /admin/dead-letters:replay} with a JSON body of the same filters plus {@code dryRun} (default
 * true) and {@code ratePerSecond} replays them and answers with the {@link ReplaySummary}.</li>
 * </ul>
 * Errors are RFC 9457 problem+json; a bad argument replays nothing.
 */
@RestController
public class DeadLetterAdminController {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterAdminController.class);
    private static final Set<String> REPLAY_FIELDS = Set.of("workspace", "destination", "type", "error", "from", "to",
            "ids", "records", "limit", "dryRun", "ratePerSecond");
    private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final DeadLetterBrowser browser;
    private final Replayer replayer;

    public DeadLetterAdminController(DeadLetterBrowser browser, Replayer replayer) {
        this.browser = browser;
        this.replayer = replayer;
    }

    public record DeadLetterList(String channel, String topic, int count, boolean truncated,
            List<DeadLetter> deadLetters) {
    }

    @GetMapping(path = "/admin/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
    public DeadLetterList list(@RequestParam(required = false) String workspace, @RequestParam(required = false) String destination,
            @RequestParam(required = false) String type, @RequestParam(required = false) String error,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) List<String> ids, @RequestParam(required = false) List<String> records,
            @RequestParam(required = false) String limit) {
        DeadLetterFilter filter = DeadLetterFilter.parse(workspace, destination, type, error, from, to, ids, records,
                limit);
        DeadLetterBrowser.Result result = browser.find(filter);
        List<DeadLetter> letters = result.matches().stream().map(DeadLetterBrowser.Found::letter).toList();
        return new DeadLetterList(browser.channel(), browser.topic(), letters.size(), result.truncated(), letters);
    }

    @PostMapping(path = "/admin/dead-letters:replay", produces = MediaType.APPLICATION_JSON_VALUE)
    public ReplaySummary replay(@RequestBody(required = false) Map<String, Object> body) {
        ReplayRequest request = replayRequest(body == null ? Map.of() : body);
        ReplaySummary summary = replayer.replay(request);
        log.info("replay of {} {}: matched={} replayed={} skippedAlreadyDelivered={} skippedDuplicate={} failed={}",
                summary.sourceTopic(), summary.dryRun() ? "(dry run)" : "", summary.matched(), summary.replayed(),
                summary.skippedAlreadyDelivered(), summary.skippedDuplicate(), summary.failed());
        return summary;
    }

    /** The JSON body as a request; unknown fields and wrong types are errors, not silently ignored. */
    static ReplayRequest replayRequest(Map<String, Object> body) {
        List<String> problems = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!REPLAY_FIELDS.contains(field)) {
                problems.add("unknown field '" + field + "'; allowed fields are " + String.join(", ",
                        REPLAY_FIELDS.stream().sorted().toList()));
            }
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (String field : List.of("workspace", "destination", "type", "error", "from", "to")) {
            Object value = body.get(field);
            if (value != null && !(value instanceof String)) {
                problems.add("'" + field + "' must be a string");
            } else {
                texts.put(field, (String) value);
            }
        }
        List<String> ids = stringList(body.get("ids"), "ids", problems);
        List<String> records = stringList(body.get("records"), "records", problems);
        Object limit = body.get("limit");
        if (limit != null && !(limit instanceof Integer)) {
            problems.add("'limit' must be a whole number");
            limit = null;
        }
        Object dryRun = body.getOrDefault("dryRun", Boolean.TRUE);
        if (!(dryRun instanceof Boolean)) {
            problems.add("'dryRun' must be true or false");
            dryRun = Boolean.TRUE;
        }
        Object rate = body.getOrDefault("ratePerSecond", ReplayRequest.DEFAULT_RATE_PER_SECOND);
        if (!(rate instanceof Number)) {
            problems.add("'ratePerSecond' must be a number");
            rate = ReplayRequest.DEFAULT_RATE_PER_SECOND;
        }
        DeadLetterFilter filter = null;
        try {
            filter = DeadLetterFilter.parse(texts.get("workspace"), texts.get("destination"), texts.get("type"),
                    texts.get("error"), texts.get("from"), texts.get("to"), ids, records,
                    limit == null ? null : limit.toString());
        } catch (ReplayArgumentException e) {
            problems.addAll(e.problems());
        }
        try {
            if (filter != null) {
                ReplayRequest request = new ReplayRequest(filter, (Boolean) dryRun, ((Number) rate).doubleValue());
                if (problems.isEmpty()) {
                    return request;
                }
            }
        } catch (ReplayArgumentException e) {
            problems.addAll(e.problems());
        }
        throw new ReplayArgumentException(problems);
    }

    private static List<String> stringList(Object value, String field, List<String> problems) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        problems.add("'" + field + "' must be an array of strings");
        return List.of();
    }

    @ExceptionHandler(ReplayArgumentException.class)
    ResponseEntity<ProblemDetail> badArguments(ReplayArgumentException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid dead-letter request",
                e.getMessage() + ". Nothing was replayed.");
        problem.setProperty("problems", e.problems());
        return ResponseEntity.badRequest().contentType(PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid dead-letter request",
                "the body must be a JSON object such as {\"workspace\":\"ws_acme\",\"dryRun\":true}. Nothing was "
                        + "replayed.");
        return ResponseEntity.badRequest().contentType(PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler({KafkaException.class, IllegalStateException.class})
    ResponseEntity<ProblemDetail> kafkaUnavailable(RuntimeException e) {
        log.warn("dead-letter request failed: {}", e.toString());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Dead letters cannot be read right now",
                "reading " + browser.topic() + " failed: " + e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(PROBLEM_JSON).body(problem);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
