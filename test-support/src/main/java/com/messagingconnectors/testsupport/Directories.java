package com.messagingconnectors.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing what a test wrote to disk. */
public final class Directories {
    private Directories() {
    }

    /** Deletes {@code path} and everything under it, as far as it can: a leftover temp file fails no test. */
    public static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            // what is left is only disk space (a file may also vanish while the walk lists it)
        }
    }
}
