package io.huitong.hub.storage;

import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * Flyway migrations, one schema per capability: capability {@code ops} owns schema {@code ops}, its scripts are
 * {@code classpath:db/ops}, and its history table is {@code ops.schema_history}. Blocking: run on a worker or
 * start-up thread. Flyway takes a PostgreSQL advisory lock, so members starting together migrate once.
 */
public final class Migrations {
  /** Capabilities whose schemas exist, in the order they are migrated. */
  public static final List<String> CAPABILITIES = List.of("ops", "signing", "exchange", "proxy", "files", "identity",
      "cases", "appointments", "queue", "devices", "sso", "evaluation");

  private Migrations() {
  }

  /** Brings every capability's schema to the newest version. */
  public static void migrateAll(PgLocation location) {
    for (String capability : CAPABILITIES) {
      migrate(location, capability);
    }
  }

  /** Brings one capability's schema to the newest version. */
  public static void migrate(PgLocation location, String capability) {
    Flyway.configure()
        .dataSource(location.jdbcUrl(), location.user(), location.password().reveal())
        .schemas(capability)
        .defaultSchema(capability)
        .createSchemas(true)
        .table("schema_history")
        .locations("classpath:db/" + capability)
        .load()
        .migrate();
  }
}
