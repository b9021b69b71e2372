package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cookie file's rules, as Erlang's auth module has them (OTP 25 kernel's auth.erl, check_attributes). */
class CookiesTest {
    @Test
    void aFileOthersCanReadIsRefusedWithErlangsMessage(@TempDir Path home) throws Exception {
        Path file = home.resolve(".erlang.cookie");
        Files.writeString(file, "SECRET");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Cookies.fromFile(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cookie file " + file + " must be accessible by owner only");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(Cookies.fromFile(file)).isEqualTo("SECRET");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(Cookies.fromFile(file)).isEqualTo("SECRET");
    }

    @Test
    void aMissingFileIsMadeReadableByItsOwnerOnly(@TempDir Path home) throws Exception {
        Path file = home.resolve(".erlang.cookie");
        String cookie = Cookies.fromFile(file);
        assertThat(cookie).matches("[A-Z]{20}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        assertThat(Cookies.fromFile(file)).as("read back the same").isEqualTo(cookie);
        try (var left = Files.list(home)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly(".erlang.cookie");
        }
    }

    @Test
    void aDirectoryIsNotACookieFile(@TempDir Path home) throws Exception {
        Path dir = Files.createDirectory(home.resolve(".erlang.cookie"));
        assertThatThrownBy(() -> Cookies.fromFile(dir)).hasMessageContaining("is not a regular file");
    }
}
