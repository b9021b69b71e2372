package io.ergon.net.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a node's cookie comes from when none is given: {@code ~/.erlang.cookie}, read and made by the rules of
 * Erlang's {@code auth} module (kernel's {@code auth.erl}, OTP 25): the file must be a regular file that only its
 * owner can access ("Cookie file ... must be accessible by owner only"), and a missing one is made with twenty random
 * capital letters, readable by the owner only from the moment it exists.
 */
final class Cookies {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private Cookies() {
    }

    /** The given cookie, or the one in {@code ~/.erlang.cookie}, creating that file if it does not exist. */
    static String resolve(String given) {
        if (given != null) {
            return given;
        }
        return fromFile(Path.of(System.getProperty("user.home"), ".erlang.cookie"));
    }

    /** The cookie in {@code file}, made first if it does not exist; refused if others may access it. */
    static String fromFile(Path file) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                create(file);
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("Cookie file " + file + " is not a regular file");
            }
            try {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
                if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                    throw new IllegalStateException("Cookie file " + file + " must be accessible by owner only "
                            + "(its mode is " + PosixFilePermissions.toString(mode) + "; chmod 400 " + file + ")");
                }
            } catch (UnsupportedOperationException notPosix) {
                // not a POSIX file system: Erlang does not check either (its check is for {unix, _} only)
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

    /**
     * Twenty random capital letters, as Erlang's auth module makes them, in a file that is readable by its owner only
     * from its creation (a temporary file made with mode 0400, then linked into place, so no other process ever sees
     * the file half written or readable by others; one that another node links first wins).
     */
    private static void create(Path file) throws IOException {
        SecureRandom random = new SecureRandom();
        StringBuilder cookie = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            cookie.append((char) ('A' + random.nextInt(26)));
        }
        byte[] bytes = cookie.toString().getBytes(StandardCharsets.ISO_8859_1);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(random.nextLong()));
        try {
            try (SeekableByteChannel out = Files.newByteChannel(temp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------")))) {
                out.write(ByteBuffer.wrap(bytes));
            }
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException raced) {
                // another node made it first: use theirs
            } catch (IOException | UnsupportedOperationException noHardLinks) {
                try {
                    Files.move(temp, file); // no REPLACE_EXISTING: a file made meanwhile stays
                } catch (FileAlreadyExistsException raced) {
                    // made meanwhile: use it
                }
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: no modes to give it
            try {
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
