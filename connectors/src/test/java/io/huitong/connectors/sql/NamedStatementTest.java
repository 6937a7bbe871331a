package io.huitong.connectors.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Named parameters become the driver's placeholders; nothing else in the statement changes. */
class NamedStatementTest {

  @Test
  void postgresNumbersEachNameOnce() {
    NamedStatement s = NamedStatement.parse(
        "SELECT :a::text, ':b', \"x:c\" FROM t -- :d\n WHERE a = :a /* :e */ AND f = :f", SqlDialect.POSTGRESQL);

    assertEquals("SELECT $1::text, ':b', \"x:c\" FROM t -- :d\n WHERE a = $1 /* :e */ AND f = $2", s.sql());
    assertEquals(List.of("a", "f"), s.parameters());
  }

  @Test
  void mysqlBindsEachOccurrence() {
    NamedStatement s = NamedStatement.parse("SELECT * FROM t WHERE a = :a AND b = 'it\\'s :x' OR c = :a",
        SqlDialect.MYSQL);

    assertEquals("SELECT * FROM t WHERE a = ? AND b = 'it\\'s :x' OR c = ?", s.sql());
    assertEquals(List.of("a", "a"), s.parameters());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SELECT ?", "SELECT $1", "SELECT 'open", "SELECT /* open"})
  void refusesPositionalParametersAndOpenQuotes(String sql) {
    assertThrows(NamedStatement.InvalidStatement.class, () -> NamedStatement.parse(sql, SqlDialect.POSTGRESQL));
  }
}
