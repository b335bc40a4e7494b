package com.messagingconnectors.replaycli;

import java.io.PrintWriter;

/**
 * A progress bar on stderr: {@code Replaying [##########----------]  50/100}, redrawn in place on a terminal, one
 * line per step otherwise (logs, pipes).
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean inPlace = System.console() != null;
    private final int total;
    private int done;

    ProgressBar(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
        draw();
    }

    void advance(int count) {
        done = Math.min(total, done + count);
        draw();
    }

    void done() {
        if (inPlace) {
            err.println();
        }
        err.flush();
    }

    private void draw() {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        err.print((inPlace ? "\r" : "") + "Replaying [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format("%" + String.valueOf(total).length() + "d/%d", done, total) + (inPlace ? "" : "\n"));
        err.flush();
    }
}
