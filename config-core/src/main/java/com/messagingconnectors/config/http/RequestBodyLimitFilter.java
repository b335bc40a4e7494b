package com.messagingconnectors.config.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps every request body before anything else reads it. A declared {@code Content-Length} over the limit is refused
 * with 413 without reading a byte; a chunked (or otherwise unannounced) body is counted as it is read and the read
 * fails the moment the limit is passed, so nobody ever buffers more than the limit. A body that has not fully arrived
 * within {@link BodyLimits#readTimeout()} fails with 408 at the next read (a read that blocks is bounded by the
 * server's connection timeout).
 *
 * <p>Whatever the handler made of the failed read (frameworks often turn a read error into 400), the client gets
 * the limit's own problem+json answer: once the body failed, what the handler writes is discarded.
 */
public final class RequestBodyLimitFilter extends OncePerRequestFilter {
    private final BodyLimits limits;

    public RequestBodyLimitFilter(BodyLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        long maxBytes = limits.maxBytesFor(path);
        if (request.getContentLengthLong() > maxBytes) {
            refuse(request, response, RequestBodyLimitException.tooLarge(maxBytes));
            return;
        }
        LimitedRequest limited = new LimitedRequest(request, maxBytes,
                System.nanoTime() + limits.readTimeout().toNanos());
        try {
            chain.doFilter(limited, new LimitAwareResponse(response, limited));
        } catch (IOException | ServletException | RuntimeException e) {
            if (limited.failure == null || response.isCommitted()) {
                throw e;
            }
        }
        RequestBodyLimitException failure = limited.failure;
        if (failure != null && !response.isCommitted()) {
            response.reset();
            refuse(request, response, failure);
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response,
                               RequestBodyLimitException failure) throws IOException {
        response.setStatus(failure.status());
        // the rest of the body is not wanted: don't let the connection carry on with it
        response.setHeader("Connection", "close");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8);
        String title = failure.status() == 413 ? "Content Too Large" : "Request Timeout";
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":"
                + failure.status() + ",\"detail\":" + jsonString(failure.getMessage()) + ",\"instance\":"
                + jsonString(request.getRequestURI()) + ",\"reason\":\"" + failure.reason() + "\"}");
    }

    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    /**
     * Once the body failed at a limit, what the handler answers about it (typically 400 for an unreadable body) is
     * discarded and never committed, so that the filter can answer with the limit's own problem instead.
     */
    private static final class LimitAwareResponse extends HttpServletResponseWrapper {
        private final LimitedRequest request;

        LimitAwareResponse(HttpServletResponse response, LimitedRequest request) {
            super(response);
            this.request = request;
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (request.failure == null) {
                super.sendError(status, message);
            }
        }

        @Override
        public void sendError(int status) throws IOException {
            if (request.failure == null) {
                super.sendError(status);
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return request.failure == null ? super.getOutputStream() : new DiscardingStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return request.failure == null ? super.getWriter() : new PrintWriter(Writer.nullWriter());
        }

        @Override
        public void flushBuffer() throws IOException {
            if (request.failure == null) {
                super.flushBuffer();
            }
        }
    }

    private static final class DiscardingStream extends ServletOutputStream {
        @Override
        public void write(int b) {
            // the answer is the filter's
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            // the answer is the filter's
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            // writes never block
        }
    }

    /** The request as handlers see it: its body (stream or reader) counted and timed. */
    private final class LimitedRequest extends HttpServletRequestWrapper {
        private final long maxBytes;
        private final long deadlineNanos;
        private ServletInputStream stream;
        private volatile RequestBodyLimitException failure;

        LimitedRequest(HttpServletRequest request, long maxBytes, long deadlineNanos) {
            super(request);
            this.maxBytes = maxBytes;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        private RequestBodyLimitException fail(RequestBodyLimitException e) {
            failure = e;
            return e;
        }

        private final class LimitedStream extends ServletInputStream {
            private final ServletInputStream in;
            private long read;

            LimitedStream(ServletInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                check();
                int b = in.read();
                if (b >= 0) {
                    counted(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                check();
                // never more than one byte past the limit: enough to know it was passed
                int n = in.read(buffer, offset, (int) Math.min(length, maxBytes - read + 1));
                if (n > 0) {
                    counted(n);
                }
                return n;
            }

            private void check() throws IOException {
                if (failure != null) {
                    throw failure;
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw fail(RequestBodyLimitException.tooSlow(limits.readTimeout()));
                }
            }

            private void counted(int n) throws IOException {
                read += n;
                if (read > maxBytes) {
                    throw fail(RequestBodyLimitException.tooLarge(maxBytes));
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw fail(RequestBodyLimitException.tooSlow(limits.readTimeout()));
                }
            }

            @Override
            public int available() throws IOException {
                return in.available();
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }
}
