package io.swarmtee.proxy.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Main;
import io.swarmtee.proxy.config.ConfigParser;
import io.swarmtee.proxy.config.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format} and {@code --log-level} follow the configuration contract. */
class LogSettingsTest {

  @Test
  void defaultsFlagsAndEnvironment() throws Exception {
    assertEquals(
        LogSettings.DEFAULT,
        LogSettings.from(ConfigParser.parse(List.of(), Map.of(), Options.SERVER)));
    assertEquals(
        new LogSettings(LogSettings.Format.JSON, LogSettings.Level.WARN),
        LogSettings.from(
            ConfigParser.parse(
                List.of("--log-format", "json", "--log-level", "WARN"), Map.of(), Options.SERVER)));
    assertEquals(
        LogSettings.Level.DEBUG,
        LogSettings.from(
                ConfigParser.parse(
                    List.of(), Map.of("SWARMTEE_LOG_LEVEL", "debug"), Options.SERVER))
            .level());
  }

  @Test
  void aBadValueIsExitTwoWithOneLine(@TempDir Path tmp) {
    for (List<String> bad :
        List.of(List.of("--log-format", "xml"), List.of("--log-level", "loud"))) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      List<String> args = List.of(bad.get(0), bad.get(1), "--data", tmp.resolve("data").toString());
      int code =
          Main.run(
              args,
              Map.of(),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      String said = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, code, said);
      assertTrue(said.contains(bad.get(0)) && said.contains("expected"), said);
      assertFalse(said.strip().contains("\n"), "one line: " + said);
    }
  }

  @Test
  void helpListsBoth() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(
        0,
        Main.run(
            List.of("--help"),
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--log-format") && help.contains("--log-level"), help);
  }
}
