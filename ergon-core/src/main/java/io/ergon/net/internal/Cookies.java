package io.ergon.net.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** Where a node's cookie comes from when none is given: {@code ~/.erlang.cookie}, made as Erlang makes it. */
final class Cookies {
    private Cookies() {
    }

    /** The given cookie, or the one in {@code ~/.erlang.cookie}, creating that file if it does not exist. */
    static String resolve(String given) {
        if (given != null) {
            return given;
        }
        Path file = Path.of(System.getProperty("user.home"), ".erlang.cookie");
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String cookie = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
            if (cookie.isEmpty()) {
                throw new IllegalStateException(file + " is empty: put a cookie in it or give one with "
                        + "NodeOptions.cookie(...)");
            }
            return cookie;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cookie from " + file, e);
        }
    }

    /** Twenty random capital letters, readable by the owner only, as Erlang's auth module does. */
    private static void create(Path file) throws IOException {
        SecureRandom random = new SecureRandom();
        StringBuilder cookie = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            cookie.append((char) ('A' + random.nextInt(26)));
        }
        try {
            Files.writeString(file, cookie, StandardCharsets.ISO_8859_1);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        } catch (FileAlreadyExistsException raced) {
            // another process made it first: use theirs
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: leave the default permissions
        }
    }
}
