package com.messagingconnectors.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A POST whose body goes out in chunks ({@code Transfer-Encoding: chunked}) as slowly as the test wants, over a plain
 * socket to a loopback port: what a slow or hostile client does, which ready-made HTTP clients cannot be made to do.
 */
public final class ChunkedUpload implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** The server's answer. Header names are lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    private ChunkedUpload(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects and sends the request head; the body follows with {@link #send}. */
    public static ChunkedUpload start(int port, String path, Map<String, String> headers) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        ChunkedUpload upload = new ChunkedUpload(socket);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nTransfer-Encoding: chunked\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        upload.out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        upload.out.flush();
        return upload;
    }

    /** Sends one chunk; false (and nothing sent) once the server has begun to answer or closed the connection. */
    public boolean send(byte[] chunk) {
        try {
            if (answered()) {
                return false;
            }
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean send(String chunk) {
        return send(chunk.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the rest of {@code body} one byte per {@code interval} until the server answers or the body is sent. */
    public ChunkedUpload trickle(String body, Duration interval) throws InterruptedException {
        for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
            if (!send(new byte[] {b})) {
                return this;
            }
            Thread.sleep(interval); // the slow client this class plays, not a wait for a condition
        }
        return this;
    }

    /** Ends the body (the last, empty chunk). */
    public void finish() {
        try {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // the server answered already; response() reads it
        }
    }

    /** True once the server has sent something back (an answer or the end of the connection). */
    public boolean answered() throws IOException {
        return in.available() > 0 || socket.isInputShutdown();
    }

    /** Waits for the answer (30 s at most) and reads it. */
    public Response response() throws IOException {
        String statusLine = line();
        if (statusLine.isEmpty()) {
            throw new IOException("the server closed the connection without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                chunks.write(in.readNBytes(size));
                line();
            }
            body = chunks.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
