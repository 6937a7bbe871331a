package io.huitong.config;

import java.util.List;
import java.util.Map;

/**
 * Renders the declarations as a commented YAML file in which every key stands once with its default, its type,
 * its rule and its doc. The shipped {@code config/hub.yaml} is this rendering, and a test keeps the two equal, so
 * the file cannot drift from the code.
 */
public final class ConfigTemplate {
  private ConfigTemplate() {
  }

  /**
   * The YAML text for {@code def}, headed by {@code header} lines (written as comments); each key's comment names the
   * environment variable, built with {@code envPrefix}, that overrides it.
   */
  public static String render(ConfigDef def, String envPrefix, List<String> header) {
    StringBuilder out = new StringBuilder();
    header.forEach(line -> out.append(line.isEmpty() ? "#" : "# " + line).append('\n'));
    String[] open = new String[0];
    for (ConfigKey key : def.keys().values()) {
      String[] segments = key.path().split("\\.");
      int common = 0;
      while (common < open.length && common < segments.length - 1 && open[common].equals(segments[common])) {
        common++;
      }
      for (int depth = common; depth < segments.length - 1; depth++) {
        String sectionPath = String.join(".", java.util.Arrays.copyOf(segments, depth + 1));
        if (depth == 0) {
          out.append('\n');
        }
        String doc = def.sections().get(sectionPath);
        if (doc != null) {
          comment(out, depth, doc);
        }
        out.append(indent(depth)).append(segments[depth]).append(":\n");
      }
      open = java.util.Arrays.copyOf(segments, segments.length - 1);
      int depth = segments.length - 1;
      if (depth == 0) {
        out.append('\n');
      }
      comment(out, depth, key.doc());
      comment(out, depth, key.type().description()
          + (key.validator().describe().equals("any value") ? "" : "; " + key.validator().describe())
          + "; env " + key.environmentVariable(envPrefix));
      out.append(indent(depth)).append(segments[depth]).append(": ").append(yaml(key.rawDefault())).append('\n');
    }
    return out.toString();
  }

  private static void comment(StringBuilder out, int depth, String text) {
    out.append(indent(depth)).append("# ").append(text).append('\n');
  }

  private static String indent(int depth) {
    return "  ".repeat(depth);
  }

  private static String yaml(Object raw) {
    if (raw instanceof List<?> list) {
      return list.isEmpty() ? "[]" : "[" + String.join(", ", list.stream().map(ConfigTemplate::yaml).toList()) + "]";
    }
    if (raw instanceof Map) {
      throw new IllegalArgumentException("a default cannot be a section");
    }
    String s = raw.toString();
    boolean plain = !(raw instanceof String) || s.matches("[A-Za-z0-9./_-]+") && !s.matches("(?i)true|false|yes|no|on|off|null|~|[0-9.]+");
    return plain ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
