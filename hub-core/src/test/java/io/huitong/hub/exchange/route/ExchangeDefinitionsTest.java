package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import static io.huitong.hub.exchange.route.TestJson.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The definitions file: what a valid one yields, and the path of every error. */
class ExchangeDefinitionsTest {
  private static final String VALID = """
      # Routes, then the tables of the nodes that exchange tables.
      routes:
        - id: ga-to-mz
          senders: [GA]
          types: [CASE_STEP]
          when: {field: status, equals: done}
          receivers: [MZ, SW]
          transforms:
            - rename: {status: ZT}
            - format: xml
              root: APPROVEDATAINFO
          encrypt: true
        - id: all-to-archive
          receivers: [ARCHIVE]
      table-sources:
        - node: GA
          table: ga.case_step
          issue-column: case_no
          type: CASE_STEP
          schema: huitong/case-step
        - node: MZ
          table: ga.case_step
          issue-column: case_no
          type: CASE_STEP
          schema: huitong/case-step
          schema-version: "2.1"
      table-sinks:
        - node: MZ
          senders: [GA]
          type: CASE_STEP
          table: mz.case_inbox
          key-columns: [case_no, step]
          columns:
            case_no: caseNo
            step: step
            done_at: doneAt
        - node: MZ
          senders: [SW]
          type: CASE_STEP
          table: mz.case_inbox_sw
          key-columns: [case_no]
      """;

  @TempDir
  Path dir;

  @Test
  void readsAValidFile() throws IOException {
    ExchangeDefinitions definitions = ExchangeDefinitions.load(write(VALID));
    assertEquals(List.of(
        Route.parse(obj("{'id':'ga-to-mz','senders':['GA'],'types':['CASE_STEP'],'when':{'field':'status',"
            + "'equals':'done'},'receivers':['MZ','SW'],'transforms':[{'rename':{'status':'ZT'}},{'format':'xml',"
            + "'root':'APPROVEDATAINFO'}],'encrypt':true}"), ""),
        new Route("all-to-archive", List.of(), List.of(), null, List.of("ARCHIVE"), List.of(), false)),
        definitions.routes());
    assertEquals(List.of(
        new TableSource("GA", "ga.case_step", "case_no", "CASE_STEP", "huitong/case-step", "1.0"),
        new TableSource("MZ", "ga.case_step", "case_no", "CASE_STEP", "huitong/case-step", "2.1")),
        definitions.tableSources());
    assertEquals(2, definitions.tableSinks().size());
    TableSink sink = definitions.tableSinks().get(0);
    assertEquals(new TableSink("MZ", List.of("GA"), "CASE_STEP", "mz.case_inbox", List.of("case_no", "step"),
        Map.of("case_no", "caseNo", "step", "step", "done_at", "doneAt")), sink);
    assertEquals(List.of("case_no", "step", "done_at"), new ArrayList<>(sink.columns().keySet()), "file order");
    assertEquals(Map.of(), definitions.tableSinks().get(1).columns());
  }

  @Test
  void emptyFilesDefineNothing() throws IOException {
    for (String text : new String[] {"", "\n\n", "# nothing yet\n", "~\n", "routes:\ntable-sinks: []\n"}) {
      assertEquals(ExchangeDefinitions.empty(), ExchangeDefinitions.load(write(text)), text);
    }
  }

  static Stream<Arguments> errors() {
    String route = "  - id: r\n    receivers: [B]\n";
    String source = "  - node: GA\n    table: case_step\n    issue-column: case_no\n    type: CASE_STEP\n"
        + "    schema: s\n";
    String sink = "  - node: MZ\n    type: CASE_STEP\n    table: inbox\n    key-columns: [case_no]\n";
    String identifier = "a lower-case SQL identifier: a letter or _, then up to 62 letters, digits or _";
    return Stream.of(
        Arguments.of("- routes\n", "", "expected a mapping of routes, table-sources, table-sinks, got a list"),
        Arguments.of("rutes: []\n", "rutes", "unknown key; expected one of routes, table-sources, table-sinks"),
        Arguments.of("routes: {}\n", "routes", "expected a list, got an object"),
        Arguments.of("routes: [x]\n", "routes[0]", "expected an object, got a string"),
        Arguments.of("routes:\n" + route + "  - id: r2\n    receiver: [B]\n", "routes[1].receiver",
            "unknown key; expected one of id, senders, types, when, receivers, transforms, encrypt"),
        Arguments.of("routes:\n" + route + "  - id: r2\n", "routes[1].receivers", "is required"),
        Arguments.of("routes:\n" + route + "    transforms:\n      - rename: {a: [b]}\n",
            "routes[0].transforms[0].rename.a", "expected a string, got a list"),
        Arguments.of("routes:\n" + route + "    when: {field: n, greaterThan: ten}\n", "routes[0].when.greaterThan",
            "expected a number, got a string"),
        Arguments.of("routes:\n" + route + route, "routes[1].id", "'r' is the id of routes[0] already"),
        Arguments.of("routes:\n" + route + "    senders: [110101]\n", "routes[0].senders[0]",
            "expected a string, got a number (quote it in YAML)"),
        Arguments.of("table-sources:\n  - table: t\n", "table-sources[0].node", "is required"),
        Arguments.of("table-sources:\n" + source + "    issue_column: x\n", "table-sources[0].issue_column",
            "unknown key; expected one of node, table, issue-column, type, schema, schema-version"),
        Arguments.of("table-sources:\n" + source.replace("case_step\n", "Case\n"), "table-sources[0].table",
            "'Case' is not valid: expected name or schema.name, each " + identifier),
        Arguments.of("table-sources:\n" + source.replace("case_step\n", "a.b.c\n"), "table-sources[0].table",
            "'a.b.c' is not valid: expected name or schema.name, each " + identifier),
        Arguments.of("table-sources:\n" + source.replace("case_no", "1no"), "table-sources[0].issue-column",
            "'1no' is not valid: expected " + identifier),
        Arguments.of("table-sources:\n" + source.replace("CASE_STEP", "case_step"), "table-sources[0].type",
            "'case_step' is not valid: expected an upper-case letter, then up to 63 upper-case letters, digits or _"),
        Arguments.of("table-sources:\n" + source.replace("schema: s", "schema: a b"), "table-sources[0].schema",
            "'a b' is not valid: expected 1 to 128 letters, digits and . _ : / -"),
        Arguments.of("table-sources:\n" + source + "    schema-version: 1.0\n", "table-sources[0].schema-version",
            "expected a string, got a number (quote it in YAML)"),
        Arguments.of("table-sources:\n" + source + source, "table-sources[1].table",
            "node GA has a source on table case_step already: table-sources[0]"),
        Arguments.of("table-sinks:\n  - node: MZ\n", "table-sinks[0].type", "is required"),
        Arguments.of("table-sinks:\n" + sink.replace("[case_no]", "[]"), "table-sinks[0].key-columns",
            "must not be empty"),
        Arguments.of("table-sinks:\n" + sink.replace("[case_no]", "[case_no, case_no]"), "table-sinks[0].key-columns[1]",
            "'case_no' is listed twice"),
        Arguments.of("table-sinks:\n" + sink + "    columns: {case_no: a.b}\n", "table-sinks[0].columns.case_no",
            "'a.b' is not valid: expected 1 to 64 letters, digits and _ $ -"),
        Arguments.of("table-sinks:\n" + sink + "    columns: {CaseNo: a}\n", "table-sinks[0].columns.CaseNo",
            "'CaseNo' is not valid: expected " + identifier),
        Arguments.of("table-sinks:\n" + sink + "    columns: [case_no]\n", "table-sinks[0].columns",
            "expected an object, got a list"),
        Arguments.of("table-sinks:\n" + sink.replace("[case_no]", "[case_no, step]") + "    columns: {case_no: c}\n",
            "table-sinks[0].key-columns[1]", "'step' is not among the columns"),
        Arguments.of("table-sinks:\n" + sink + "    senders: [GA, GA]\n", "table-sinks[0].senders[1]",
            "'GA' is listed twice"),
        Arguments.of("table-sinks:\n" + sink + "    senders: [GA, SW]\n" + sink + "    senders: [SW]\n",
            "table-sinks[1]", "node MZ has a sink for type CASE_STEP from some of the same senders already: table-sinks[0]"),
        Arguments.of("table-sinks:\n" + sink + "    senders: [GA]\n" + sink, "table-sinks[1]",
            "node MZ has a sink for type CASE_STEP from some of the same senders already: table-sinks[0]"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("errors")
  void reportsThePathOfEachError(String yaml, String path, String message) throws IOException {
    DefinitionException e = assertThrows(DefinitionException.class, () -> ExchangeDefinitions.load(write(yaml)));
    assertEquals(path, e.path());
    assertEquals(path.isEmpty() ? message : path + ": " + message, e.getMessage());
  }

  @Test
  void sinksOfOneTypeMayTakeDisjointSendersOrLiveOnOtherNodes() throws IOException {
    String sink = "  - node: MZ\n    type: CASE_STEP\n    table: inbox\n    key-columns: [case_no]\n";
    ExchangeDefinitions definitions = ExchangeDefinitions.load(write("table-sinks:\n" + sink + "    senders: [GA]\n"
        + sink + "    senders: [SW]\n" + sink.replace("MZ", "SW")));
    assertEquals(3, definitions.tableSinks().size());
  }

  static Stream<Arguments> unreadable() {
    return Stream.of(
        Arguments.of("routes: [\n", "not valid YAML at line "),
        Arguments.of("routes: []\nroutes: []\n", "not valid YAML at line 2, column 7: Duplicate field 'routes'"),
        Arguments.of("routes:\n  - id: r\n    id: s\n    receivers: [B]\n",
            "not valid YAML at line 3, column 7: Duplicate field 'id'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadable")
  void refusesInvalidYaml(String yaml, String messageStart) throws IOException {
    DefinitionException e = assertThrows(DefinitionException.class, () -> ExchangeDefinitions.load(write(yaml)));
    assertEquals("", e.path());
    assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
  }

  @Test
  void refusesMissingAndOversizedFiles() throws IOException {
    DefinitionException e = assertThrows(DefinitionException.class, () -> ExchangeDefinitions.load(dir.resolve("missing.yaml")));
    assertEquals("", e.path());
    assertTrue(e.getMessage().startsWith("cannot read the file: java.nio.file.NoSuchFileException"), e.getMessage());
    Path big = write("#".repeat((int) ExchangeDefinitions.MAX_FILE_BYTES) + "\n");
    e = assertThrows(DefinitionException.class, () -> ExchangeDefinitions.load(big));
    assertEquals("the file has 4194305 bytes; at most 4194304 are allowed", e.getMessage());
  }

  @Test
  void constructorChecksAcrossEntries() {
    Route r = new Route("r", null, null, null, List.of("B"), null, false);
    DefinitionException e = assertThrows(DefinitionException.class, () -> new ExchangeDefinitions(List.of(r, r), List.of(), List.of()));
    assertEquals("routes[1].id: 'r' is the id of routes[0] already", e.getMessage());
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(dir, "exchange", ".yaml");
    return Files.writeString(file, text);
  }
}
