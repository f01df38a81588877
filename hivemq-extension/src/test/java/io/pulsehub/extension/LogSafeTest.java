package io.pulsehub.extension;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTest {

    @Test
    void controlCharactersCannotForgeLogLinesOrBreakClients() {
        assertThat(LogSafe.reason("token 'a\nINFO forged\u0018\u0000\u007f\u0085'"))
                .isEqualTo("token 'a\\u000aINFO forged\\u0018\\u0000\\u007f\\u0085'");
    }

    @Test
    void formatCharactersCannotReorderOrHideText() {
        assertThat(LogSafe.text("a\u202eb\u200bc\ufeff")).isEqualTo("a\\u202eb\\u200bc\\ufeff");
    }

    @Test
    void loneSurrogatesAndNonCharactersAreEscapedButRealTextStays() {
        assertThat(LogSafe.reason("x\ud800y\uffffz\ufdd0")).isEqualTo("x\\ud800y\\uffffz\\ufdd0");
        assertThat(LogSafe.reason("température 温度 \uD83D\uDE00")).isEqualTo("température 温度 \uD83D\uDE00");
    }

    @Test
    void lengthIsBounded() {
        assertThat(LogSafe.text("a".repeat(500))).hasSize(LogSafe.MAX_CHARS + 1).endsWith("…");
        assertThat(LogSafe.reason("b".repeat(500))).hasSize(LogSafe.MAX_REASON_CHARS + 1).endsWith("…");
        assertThat(LogSafe.reason(null)).isEqualTo("<none>");
    }

    @Test
    void plainMeansNothingToEscape() {
        assertThat(LogSafe.isPlain("devices/thermo-1/telemetry")).isTrue();
        assertThat(LogSafe.isPlain("température 温度 \uD83D\uDE00")).isTrue();
        assertThat(LogSafe.isPlain("")).isTrue();
        for (final String unsafe : new String[] {"a\nb", "a\u202eb", "x\ud800", "\ud800x", "x\uffff", "\u0000"}) {
            assertThat(LogSafe.isPlain(unsafe)).as(LogSafe.text(unsafe)).isFalse();
            assertThat(LogSafe.text(unsafe)).contains("\\u");
        }
    }
}
