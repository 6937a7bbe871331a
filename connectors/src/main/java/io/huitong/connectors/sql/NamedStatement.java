package io.huitong.connectors.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement written with named parameters ({@code :idNumber}), rewritten once into the driver's placeholders:
 * {@code $1, $2, ...} for PostgreSQL (a name used twice keeps its number) or {@code ?} for MySQL (bound once per
 * occurrence). Quoted text, quoted identifiers, comments and PostgreSQL's {@code ::} casts are left alone.
 *
 * @param sql the rewritten statement
 * @param parameters the input fields to bind, in placeholder order
 */
record NamedStatement(String sql, List<String> parameters) {

  /** Thrown for a statement that cannot be rewritten; the message says why. */
  static final class InvalidStatement extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidStatement(String message) {
      super(message);
    }
  }

  static NamedStatement parse(String sql, SqlDialect dialect) {
    StringBuilder out = new StringBuilder(sql.length());
    List<String> bound = new ArrayList<>();
    Map<String, Integer> numbers = new LinkedHashMap<>();
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int end;
      if (c == '\'' || c == '"' || c == '`') {
        end = closingQuote(sql, i, dialect);
      } else if (c == '-' && sql.startsWith("--", i)) {
        end = sql.indexOf('\n', i);
        end = end < 0 ? sql.length() : end;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          throw new InvalidStatement("has a comment that is never closed");
        }
        end += 2;
      } else if (c == ':' && sql.startsWith("::", i)) {
        end = i + 2;
      } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
        end = i + 2;
        while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
          end++;
        }
        String name = sql.substring(i + 1, end);
        if (dialect.numberedPlaceholders()) {
          Integer number = numbers.get(name);
          if (number == null) {
            number = numbers.size() + 1;
            numbers.put(name, number);
            bound.add(name);
          }
          out.append('$').append(number);
        } else {
          bound.add(name);
          out.append('?');
        }
        i = end;
        continue;
      } else if (c == '?' || c == '$' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))) {
        throw new InvalidStatement("must name its parameters (:name), not use positional ones (" + c + ")");
      } else {
        end = i + 1;
      }
      out.append(sql, i, end);
      i = end;
    }
    return new NamedStatement(out.toString(), List.copyOf(bound));
  }

  /** The index just past the quote closing the one at {@code start}; a doubled quote stands for itself. */
  private static int closingQuote(String sql, int start, SqlDialect dialect) {
    char quote = sql.charAt(start);
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\' && quote == '\'' && dialect.backslashEscapes()) {
        i += 2;
      } else if (c == quote && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    throw new InvalidStatement("has a quote (" + quote + ") that is never closed");
  }
}
