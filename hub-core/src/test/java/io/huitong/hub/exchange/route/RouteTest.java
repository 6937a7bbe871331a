package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import static io.huitong.hub.exchange.route.TestJson.bytes;
import static io.huitong.hub.exchange.route.TestJson.obj;
import static io.huitong.hub.exchange.route.TestJson.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A route's JSON form, its filters and its transformation. */
class RouteTest {
  private static final String FULL = "{'id':'ga-to-mz.v1','senders':['GA:front','GA/2'],'types':['CASE_STEP'],"
      + "'when':{'field':'status','in':['done','closed']},'receivers':['MZ','SW'],"
      + "'transforms':[{'rename':{'status':'ZT'}},{'format':'xml','root':'APPROVEDATAINFO'}],'encrypt':true}";

  @Test
  void readsEveryKey() {
    Route route = Route.parse(obj(FULL), "");
    assertEquals("ga-to-mz.v1", route.id());
    assertEquals(List.of("GA:front", "GA/2"), route.senders());
    assertEquals(List.of("CASE_STEP"), route.types());
    assertEquals(obj("{'field':'status','in':['done','closed']}"), route.when().toJson());
    assertEquals(List.of("MZ", "SW"), route.receivers());
    assertEquals(2, route.transforms().size());
    assertEquals(true, route.encrypt());
    assertEquals(obj(FULL), route.toJson());
    assertEquals(route, Route.parse(route.toJson(), ""));
    assertEquals(route.hashCode(), Route.parse(route.toJson(), "").hashCode());
  }

  @Test
  void optionalKeysDefault() {
    Route route = Route.parse(obj("{'id':'r','receivers':['B'],'when':null,'senders':null}"), "");
    assertEquals(List.of(), route.senders());
    assertEquals(List.of(), route.types());
    assertNull(route.when());
    assertEquals(List.of(), route.transforms());
    assertEquals(false, route.encrypt());
    assertEquals(obj("{'id':'r','senders':[],'types':[],'receivers':['B'],'transforms':[],'encrypt':false}"),
        route.toJson());
  }

  static Stream<Arguments> matches() {
    return Stream.of(
        Arguments.of("GA:front", "CASE_STEP", "{'status':'done'}", true),
        Arguments.of("GA/2", "CASE_STEP", "{'status':'closed'}", true),
        Arguments.of("GA:front", "CASE_STEP", "{'status':'open'}", false),
        Arguments.of("GA:front", "CASE_STEP", null, false),
        Arguments.of("MZ", "CASE_STEP", "{'status':'done'}", false),
        Arguments.of("GA:front", "CASE_END", "{'status':'done'}", false));
  }

  @ParameterizedTest(name = "{0} {1} {2}: {3}")
  @MethodSource("matches")
  void filtersBySenderTypeAndCondition(String sender, String type, String payload, boolean expected) {
    Route route = Route.parse(obj(FULL), "");
    assertEquals(expected, route.matches(sender, type, payload == null ? null : obj(payload)));
  }

  @Test
  void emptyFiltersTakeAnySenderAndType() {
    Route route = Route.parse(obj("{'id':'r','receivers':['B']}"), "");
    assertEquals(true, route.matches("X", "ANY", null));
  }

  @Test
  void transformsInOrder() {
    Route route = Route.parse(obj(FULL), "");
    assertEquals("<APPROVEDATAINFO><ZT>done</ZT><n>1</n></APPROVEDATAINFO>",
        text(route.transform(bytes("{\"status\":\"done\",\"n\":1}"))));
    Route json = Route.parse(obj("{'id':'r','receivers':['B'],'transforms':[{'rename':{'a':'b'}},"
        + "{'constant':{'c':true}},{'drop':['x']}]}"), "");
    assertEquals("{\"b\":1,\"c\":true}", text(json.transform(bytes("{ \"a\" : 1, \"x\" : 2 }"))));
  }

  @Test
  void withoutStepsPassesTheSameBytes() {
    Route route = Route.parse(obj("{'id':'r','receivers':['B']}"), "");
    byte[] payload = bytes("not even JSON");
    assertSame(payload, route.transform(payload));
  }

  static Stream<Arguments> malformed() {
    String base = "'id':'r','receivers':['B']";
    StringBuilder tooMany = new StringBuilder("[");
    for (int i = 0; i < 33; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{'drop':['a']}");
    }
    tooMany.append(']');
    return Stream.of(
        Arguments.of("{'receivers':['B']}", "", "id", "is required"),
        Arguments.of("{'receivers':['B']}", "routes[3].", "routes[3].id", "is required"),
        Arguments.of("{'id':'a b','receivers':['B']}", "", "id", "'a b' is not valid: expected 1 to 64 letters, digits and . _ -"),
        Arguments.of("{'id':'" + "x".repeat(65) + "','receivers':['B']}", "", "id",
            "'" + "x".repeat(65) + "' is not valid: expected 1 to 64 letters, digits and . _ -"),
        Arguments.of("{'id':7,'receivers':['B']}", "", "id", "expected a string, got a number (quote it in YAML)"),
        Arguments.of("{" + base + ",'reciever':['C']}", "routes[0].", "routes[0].reciever",
            "unknown key; expected one of id, senders, types, when, receivers, transforms, encrypt"),
        Arguments.of("{'id':'r'}", "", "receivers", "is required"),
        Arguments.of("{'id':'r','receivers':[]}", "", "receivers", "must not be empty"),
        Arguments.of("{'id':'r','receivers':['B','C','B']}", "routes[1].", "routes[1].receivers[2]", "'B' is listed twice"),
        Arguments.of("{" + base + ",'senders':'A'}", "", "senders", "expected a list, got a string"),
        Arguments.of("{" + base + ",'senders':['A B']}", "", "senders[0]",
            "'A B' is not valid: expected 1 to 128 letters, digits and . _ : / -"),
        Arguments.of("{" + base + ",'types':['CASE',1]}", "", "types[1]", "expected a string, got a number (quote it in YAML)"),
        Arguments.of("{" + base + ",'when':{'field':'x'}}", "routes[2].", "routes[2].when",
            "missing operator; expected one of equals, in, exists, matches, greaterThan, lessThan"),
        Arguments.of("{" + base + ",'when':{'all':[{'field':'x','exists':true},{'field':'y','matches':'['}]}}", "",
            "when.all[1].matches", "not a valid regular expression: Unclosed character class near index 0"),
        Arguments.of("{" + base + ",'transforms':" + tooMany + "}", "", "transforms",
            "has 33 steps; at most 32 are allowed"),
        Arguments.of("{" + base + ",'transforms':{'drop':['a']}}", "", "transforms", "expected a list, got an object"),
        Arguments.of("{" + base + ",'transforms':[{'drop':['a']},{'rename':{'a':1}}]}", "routes[4].",
            "routes[4].transforms[1].rename.a", "expected a string, got a number (quote it in YAML)"),
        Arguments.of("{" + base + ",'encrypt':'yes'}", "", "encrypt", "expected true or false, got a string"));
  }

  @ParameterizedTest(name = "{0} fails at {2}")
  @MethodSource("malformed")
  void rejectsMalformed(String json, String prefix, String path, String message) {
    DefinitionException e = assertThrows(DefinitionException.class, () -> Route.parse(obj(json), prefix));
    assertEquals(path, e.path());
    assertEquals(path + ": " + message, e.getMessage());
  }

  @Test
  void constructorKeepsTheSameRules() {
    DefinitionException e = assertThrows(DefinitionException.class,
        () -> new Route("r", null, null, null, List.of(), null, false));
    assertEquals("receivers: must not be empty", e.getMessage());
    e = assertThrows(DefinitionException.class, () -> new Route("r", List.of("A", "A"), null, null, List.of("B"), null, false));
    assertEquals("senders[1]: 'A' is listed twice", e.getMessage());
    Route route = new Route("r", null, null, null, List.of("B"), null, false);
    assertEquals(Route.parse(obj("{'id':'r','receivers':['B']}"), ""), route);
  }

  @Test
  void parsedRouteOwnsItsLists() {
    JsonObject json = obj("{'id':'r','receivers':['B'],'transforms':[{'constant':{'a':{'b':1}}}]}");
    Route route = Route.parse(json, "");
    json.getJsonArray("receivers").add("C");
    json.getJsonArray("transforms").getJsonObject(0).getJsonObject("constant").getJsonObject("a").put("b", 2);
    assertEquals(List.of("B"), route.receivers());
    assertEquals("{\"a\":{\"b\":1}}", text(route.transform(bytes("{}"))));
    assertEquals(new JsonArray().add(obj("{'constant':{'a':{'b':1}}}")), route.toJson().getJsonArray("transforms"));
  }
}
