package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import static io.huitong.hub.exchange.route.TestJson.bytes;
import static io.huitong.hub.exchange.route.TestJson.obj;
import static io.huitong.hub.exchange.route.TestJson.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Fan-out of records over routes and receivers. */
class RouterTest {
  private static final Route AS_IS = Route.parse(obj("{'id':'as-is','senders':['GA'],'types':['CASE_STEP'],"
      + "'receivers':['MZ','SW']}"), "");
  private static final Route DONE_AS_XML = Route.parse(obj("{'id':'done-xml','types':['CASE_STEP'],"
      + "'when':{'field':'status','equals':'done'},'receivers':['ARCHIVE','STATS'],"
      + "'transforms':[{'drop':['secret']},{'format':'xml'}]}"), "");
  private static final Route OTHER_TYPE = Route.parse(obj("{'id':'other','types':['CASE_END'],'receivers':['X']}"), "");
  private static final Router ROUTER = Router.of(List.of(AS_IS, DONE_AS_XML, OTHER_TYPE));

  @Test
  void fansOutToEveryReceiverOfEveryMatchingRoute() {
    byte[] payload = bytes("{\"status\":\"done\",\"secret\":\"s\",\"id\":\"C1\"}");
    List<Router.Delivery> deliveries = ROUTER.route("GA", "CASE_STEP", payload);
    assertEquals(List.of("as-is>MZ", "as-is>SW", "done-xml>ARCHIVE", "done-xml>STATS"), describe(deliveries));
    assertSame(payload, deliveries.get(0).payload(), "a route without steps passes the very same bytes");
    assertSame(payload, deliveries.get(1).payload());
    assertEquals("<record><status>done</status><id>C1</id></record>", text(deliveries.get(2).payload()));
    assertSame(deliveries.get(2).payload(), deliveries.get(3).payload(), "one transformation per route");
    assertSame(DONE_AS_XML, deliveries.get(2).route());
  }

  @Test
  void conditionsAndFiltersLeaveRoutesOut() {
    assertEquals(List.of("as-is>MZ", "as-is>SW"), describe(ROUTER.route("GA", "CASE_STEP", bytes("{\"status\":\"open\"}"))));
    assertEquals(List.of("done-xml>ARCHIVE", "done-xml>STATS"),
        describe(ROUTER.route("MZ", "CASE_STEP", bytes("{\"status\":\"done\"}"))));
    assertEquals(List.of("other>X"), describe(ROUTER.route("MZ", "CASE_END", bytes("{}"))));
    assertEquals(List.of(), ROUTER.route("GA", "UNKNOWN", bytes("{}")));
  }

  @Test
  void routesNonJsonPayloadsBySenderAndTypeOnly() {
    byte[] xml = bytes("<record><status>done</status></record>");
    List<Router.Delivery> deliveries = ROUTER.route("GA", "CASE_STEP", xml);
    assertEquals(List.of("as-is>MZ", "as-is>SW"), describe(deliveries));
    assertSame(xml, deliveries.get(0).payload());
    byte[] broken = bytes("{\"status\":\"done\"");
    assertEquals(List.of("as-is>MZ", "as-is>SW"), describe(ROUTER.route("GA", "CASE_STEP", broken)));
  }

  @Test
  void transformFailurePropagates() {
    Router router = Router.of(List.of(Route.parse(obj("{'id':'r','receivers':['B'],"
        + "'transforms':[{'rename':{'a':'b'}}]}"), "")));
    TransformException e = assertThrows(TransformException.class, () -> router.route("A", "T", bytes("<a/>")));
    assertEquals("rename needs a JSON object payload, but the payload is not one (it looks like XML: a JSON step"
        + " cannot follow format: xml)", e.getMessage());
  }

  @Test
  void routesShareOneParsedPayloadWithoutSeeingEachOthersChanges() {
    Router router = Router.of(List.of(
        Route.parse(obj("{'id':'a','when':{'field':'n','equals':1},'receivers':['A'],"
            + "'transforms':[{'constant':{'n':2}}]}"), ""),
        Route.parse(obj("{'id':'b','when':{'field':'n','equals':1},'receivers':['B'],"
            + "'transforms':[{'rename':{'n':'m'}}]}"), ""),
        Route.parse(obj("{'id':'c','receivers':['C'],'transforms':[{'drop':['n']}]}"), "")));
    List<Router.Delivery> deliveries = router.route("S", "T", bytes("{\"n\":1,\"k\":[1]}"));
    assertEquals(List.of("{\"n\":2,\"k\":[1]}", "{\"m\":1,\"k\":[1]}", "{\"k\":[1]}"),
        deliveries.stream().map(d -> text(d.payload())).toList());
  }

  @Test
  void comparesPayloadNumbersByValue() {
    Router router = Router.of(List.of(
        Route.parse(obj("{'id':'one','when':{'field':'n','equals':1},'receivers':['A']}"), ""),
        Route.parse(obj("{'id':'small','when':{'field':'n','lessThan':0.2},'receivers':['B']}"), "")));
    assertEquals(List.of("one>A"), describe(router.route("S", "T", bytes("{\"n\":1.000}"))));
    assertEquals(List.of("small>B"), describe(router.route("S", "T", bytes("{\"n\":0.19999999999999999999}"))));
    assertEquals(List.of(), describe(router.route("S", "T", bytes("{\"n\":1E+400}"))));
  }

  @Test
  void refusesDuplicateIds() {
    Route again = Route.parse(obj("{'id':'other','receivers':['Y']}"), "");
    DefinitionException e = assertThrows(DefinitionException.class, () -> Router.of(List.of(AS_IS, OTHER_TYPE, again)));
    assertEquals("routes[2].id: 'other' is the id of routes[1] already", e.getMessage());
  }

  private static List<String> describe(List<Router.Delivery> deliveries) {
    return deliveries.stream().map(d -> d.route().id() + ">" + d.receiver()).toList();
  }
}
