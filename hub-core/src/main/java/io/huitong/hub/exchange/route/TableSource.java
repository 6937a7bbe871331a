package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A department table whose changes a front node publishes as records (库表交换的源表).
 *
 * @param node          the front node that reads the table
 * @param table         {@code name} or {@code schema.name}, each part a lower-case SQL identifier
 * @param issueColumn   the column holding the case (办件) each row belongs to, which orders its records
 * @param type          the message type of the records, such as {@code CASE_STEP}
 * @param schema        the name of the payload schema the records follow
 * @param schemaVersion that schema's version; YAML key {@code schema-version}, default {@code 1.0}
 */
public record TableSource(String node, String table, String issueColumn, String type, String schema,
                         String schemaVersion) {
  static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  static final String IDENTIFIER_RULE = "a lower-case SQL identifier: a letter or _, then up to 62 letters, digits or _";
  static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");
  static final String TABLE_RULE = "name or schema.name, each " + IDENTIFIER_RULE;
  static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  static final String TYPE_RULE = "an upper-case letter, then up to 63 upper-case letters, digits or _";
  public static final String DEFAULT_SCHEMA_VERSION = "1.0";
  private static final List<String> KEYS = List.of("node", "table", "issue-column", "type", "schema", "schema-version");

  /** @throws DefinitionException if a value breaks the rules above; its path is the value's YAML key */
  public TableSource {
    Definitions.matching(node, "node", Definitions.TOKEN, Definitions.TOKEN_RULE);
    Definitions.matching(table, "table", TABLE, TABLE_RULE);
    Definitions.matching(issueColumn, "issue-column", IDENTIFIER, IDENTIFIER_RULE);
    Definitions.matching(type, "type", TYPE, TYPE_RULE);
    Definitions.matching(schema, "schema", Definitions.TOKEN, Definitions.TOKEN_RULE);
    schemaVersion = schemaVersion == null ? DEFAULT_SCHEMA_VERSION
        : Definitions.matching(schemaVersion, "schema-version", Definitions.TOKEN, Definitions.TOKEN_RULE);
  }

  /**
   * Reads a source from its YAML form, with the keys named above.
   *
   * @param path where it sits, such as {@code table-sources[0]}, for error messages
   */
  public static TableSource parse(JsonObject json, String path) {
    Definitions.onlyKeys(json, path, KEYS);
    Object version = json.getValue("schema-version");
    return new TableSource(
        Definitions.matching(Definitions.required(json, path, "node"), Definitions.at(path, "node"), Definitions.TOKEN,
            Definitions.TOKEN_RULE),
        Definitions.matching(Definitions.required(json, path, "table"), Definitions.at(path, "table"), TABLE, TABLE_RULE),
        Definitions.matching(Definitions.required(json, path, "issue-column"), Definitions.at(path, "issue-column"), IDENTIFIER,
            IDENTIFIER_RULE),
        Definitions.matching(Definitions.required(json, path, "type"), Definitions.at(path, "type"), TYPE, TYPE_RULE),
        Definitions.matching(Definitions.required(json, path, "schema"), Definitions.at(path, "schema"), Definitions.TOKEN,
            Definitions.TOKEN_RULE),
        version == null ? null : Definitions.matching(version, Definitions.at(path, "schema-version"), Definitions.TOKEN,
            Definitions.TOKEN_RULE));
  }
}
