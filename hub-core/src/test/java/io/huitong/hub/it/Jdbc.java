package io.huitong.hub.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain SQL for tests that look into a hub's database as its operator would. */
final class Jdbc {
  private Jdbc() {
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The first row of {@code sql}, its columns joined by '|'. */
  static String row(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      StringBuilder out = new StringBuilder(String.valueOf(rs.getObject(1)));
      for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
        out.append('|').append(rs.getObject(i));
      }
      return out.toString();
    }
  }

  static long count(Connection c, String sql) throws SQLException {
    return Long.parseLong(row(c, sql));
  }
}
