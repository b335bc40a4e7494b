package com.messagingconnectors.ingest;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.messagingconnectors.schemas.json.Json;
import com.messagingconnectors.config.http.RequestBodyLimitException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Reads a request body as JSON ourselves (not through Spring's converters) so every failure gets a precise problem:
 * wrong Content-Type (415), body over the limit (413) or too slow (408), malformed JSON (400 with line and column).
 * Uses the platform mapper (schemas' {@code Json}), the same as EventJson.
 */
@Component
public class JsonBodies {
    private static final ObjectMapper MAPPER = Json.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // {"type":"a","type":"b"} is a client bug
            .build();

    /**
     * The body as JSON. Its size and read time are capped by config-core's RequestBodyLimitFilter (ingest's limits:
     * {@link IngestConfiguration}); what is read is charged to the request's in-flight share as it arrives.
     */
    public JsonNode read(HttpServletRequest request, IngestAdmission.Ticket ticket) {
        requireJsonContentType(request.getContentType());
        return readJson(request, ticket);
    }

    /** As {@link #read(HttpServletRequest, IngestAdmission.Ticket)} for a body of exactly this media type. */
    public JsonNode read(HttpServletRequest request, IngestAdmission.Ticket ticket, MediaType expected) {
        if (!CloudEvents.is(expected, request.getContentType())) {
            throw IngestProblem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Content-Type must be " + expected + ", was " + request.getContentType());
        }
        return readJson(request, ticket);
    }

    private JsonNode readJson(HttpServletRequest request, IngestAdmission.Ticket ticket) {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = readCharged(in, request.getContentLengthLong(), ticket);
        } catch (RequestBodyLimitException e) {
            throw IngestProblem.of(HttpStatus.valueOf(e.status()), e.reason(), e.getMessage());
        } catch (IOException e) {
            throw IngestProblem.of(HttpStatus.BAD_REQUEST, "malformed", "the request body could not be read");
        }
        if (body.length == 0) {
            throw IngestProblem.of(HttpStatus.BAD_REQUEST, "malformed", "the request body is empty; send a JSON object");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw IngestProblem.of(HttpStatus.BAD_REQUEST, "malformed",
                    "the request body is not valid JSON" + where + ": "
                            + e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "["));
        }
    }

    private static void requireJsonContentType(String contentType) {
        boolean json;
        try {
            json = contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType))
                    && !MediaType.parseMediaType(contentType).isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            json = false;
        }
        if (!json) {
            throw IngestProblem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Content-Type must be application/json, was " + (contentType == null ? "missing" : contentType));
        }
    }

    private static byte[] readCharged(InputStream in, long declaredLength, IngestAdmission.Ticket ticket)
            throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.max(0, Math.min(declaredLength, 1 << 20)));
        byte[] chunk = new byte[8192];
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            ticket.hold(body.size() + (long) n);
            body.write(chunk, 0, n);
        }
        return body.toByteArray();
    }
}
