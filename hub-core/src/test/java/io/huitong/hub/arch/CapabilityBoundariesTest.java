package io.huitong.hub.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of ARCHITECTURE.md: a capability's {@code impl} package is its own business. Code outside
 * {@code io.huitong.hub.<capability>} may use the capability's API package, never its {@code impl}.
 */
class CapabilityBoundariesTest {
  private static final Path MAIN = Path.of("src", "main", "java", "io", "huitong", "hub");
  private static final Pattern IMPL_REFERENCE = Pattern.compile("io\\.huitong\\.hub\\.(\\w+)\\.impl\\b");

  @Test
  void noCapabilityReachesIntoAnothersImpl() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String owner = MAIN.relativize(file).getNameCount() > 1 ? MAIN.relativize(file).getName(0).toString() : "";
        Matcher m = IMPL_REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group(1).equals(owner)) {
            violations.add(MAIN.relativize(file) + " uses " + m.group());
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void theRuleSeesTheCapabilitiesItGuards() throws IOException {
    try (Stream<Path> dirs = Files.list(MAIN)) {
      assertTrue(dirs.anyMatch(d -> Files.isDirectory(d.resolve("impl"))), "at least one capability has an impl package");
    }
  }
}
