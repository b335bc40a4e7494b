package com.messagingconnectors.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Reads a request body as JSON ourselves (not through Spring's converters) so every failure gets a precise problem:
 * wrong Content-Type (415), body over the limit (413, checked before and while reading), malformed JSON (400 with
 * line and column). Uses Jackson 2, the same as EventJson.
 */
@Component
public class JsonBodies {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // {"type":"a","type":"b"} is a client bug
            .build();

    public JsonNode read(HttpServletRequest request, DataSize limit) {
        requireJsonContentType(request.getContentType());
        long maxBytes = limit.toBytes();
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) maxBytes + 1);
        } catch (IOException e) {
            throw IngestProblem.of(HttpStatus.BAD_REQUEST, "malformed", "the request body could not be read");
        }
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (body.length == 0) {
            throw IngestProblem.of(HttpStatus.BAD_REQUEST, "malformed", "the request body is empty; send a JSON object");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw IngestProblem.of(HttpStatus.BAD_REQUEST, "malformed",
                    "the request body is not valid JSON" + where + ": "
                            + e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "["));
        } catch (IOException e) {
            throw IngestProblem.of(HttpStatus.BAD_REQUEST, "malformed", "the request body is not valid JSON");
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

    private static IngestProblem tooLarge(long maxBytes) {
        return IngestProblem.of(HttpStatus.CONTENT_TOO_LARGE, "too_large",
                "the request body is larger than the limit of " + maxBytes + " bytes");
    }
}
