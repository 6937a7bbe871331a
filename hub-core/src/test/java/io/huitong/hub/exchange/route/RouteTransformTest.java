package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import static io.huitong.hub.exchange.route.TestJson.bytes;
import static io.huitong.hub.exchange.route.TestJson.obj;
import static io.huitong.hub.exchange.route.TestJson.text;
import static io.huitong.hub.exchange.route.TestJson.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Payload transformation steps: exact outputs, refusals of payloads they cannot handle, malformed steps. */
class RouteTransformTest {

  static Stream<Arguments> steps() {
    return Stream.of(
        Arguments.of("{'rename':{'a':'x'}}", "{'a':1,'b':2}", "{\"x\":1,\"b\":2}"),
        Arguments.of("{'rename':{'a':'b','b':'a'}}", "{'a':1,'b':2,'c':3}", "{\"b\":1,\"a\":2,\"c\":3}"),
        Arguments.of("{'rename':{'a':'x'}}", "{'c':3}", "{\"c\":3}"),
        Arguments.of("{'map':{'id':'case.id','who':'case.applicant.name','none':'case.missing'}}",
            "{'case':{'id':'C1','applicant':{'name':'张三'}},'other':1}", "{\"id\":\"C1\",\"who\":\"张三\"}"),
        Arguments.of("{'map':{'applicant':'case.applicant','status':'status'}}",
            "{'status':null,'case':{'applicant':{'name':'张三','ids':[1,2]}}}",
            "{\"applicant\":{\"name\":\"张三\",\"ids\":[1,2]},\"status\":null}"),
        Arguments.of("{'drop':['a','c']}", "{'a':1,'b':{'a':2},'c':3}", "{\"b\":{\"a\":2}}"),
        Arguments.of("{'drop':['z']}", "{'a':1}", "{\"a\":1}"),
        Arguments.of("{'drop':['z']}", "{'fee':0.10,'sum':12345678901234567.891,'n':123456789012345678901234567890}",
            "{\"fee\":0.10,\"sum\":12345678901234567.891,\"n\":123456789012345678901234567890}"),
        Arguments.of("{'constant':{'source':'HT','v':2,'flags':{'x':true},'n':null,'l':[1,'a']}}",
            "{'a':1,'source':'old'}",
            "{\"a\":1,\"source\":\"HT\",\"v\":2,\"flags\":{\"x\":true},\"n\":null,\"l\":[1,\"a\"]}"),
        Arguments.of("{'format':'xml'}",
            "{'id':'A1','applicant':{'name':'张三','phones':['138','139']},'note':null,'n':3,'d':1.5,'ok':true,"
                + "'t':'a<b&c>d \\\"q\\\"','empty':'','tags':[],'items':[{'k':1},null]}",
            "<record><id>A1</id><applicant><name>张三</name><phones>138</phones><phones>139</phones></applicant>"
                + "<note nil=\"true\"/><n>3</n><d>1.5</d><ok>true</ok><t>a&lt;b&amp;c&gt;d \"q\"</t><empty></empty>"
                + "<items><k>1</k></items><items nil=\"true\"/></record>"),
        Arguments.of("{'format':'xml','root':'APPROVEDATAINFO'}", "{'SBLSH':'001','SXBM':'X'}",
            "<APPROVEDATAINFO><SBLSH>001</SBLSH><SXBM>X</SXBM></APPROVEDATAINFO>"),
        Arguments.of("{'format':'xml'}", "{'line':'a\\r\\nb\\tc'}", "<record><line>a&#13;\nb\tc</line></record>"),
        Arguments.of("{'format':'xml'}", "{}", "<record></record>"),
        Arguments.of("{'format':'xml'}", "{'fee':0.10,'n':-7}", "<record><fee>0.10</fee><n>-7</n></record>"));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("steps")
  void appliesStep(String step, String payload, String expected) {
    Transform t = Transform.parse(obj(step), "transforms[0]");
    assertEquals(expected, text(t.apply(bytes(payload.replace('\'', '"')))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("steps")
  void roundTripsThroughJson(String step, String payload, String expected) {
    Transform t = Transform.parse(obj(step), "transforms[0]");
    assertEquals(obj(step), t.toJson());
    assertEquals(t, Transform.parse(t.toJson(), "transforms[0]"));
  }

  static Stream<Arguments> xmlToJson() {
    return Stream.of(
        Arguments.of("<record><id>A1</id><n>3</n></record>", "{\"id\":\"A1\",\"n\":\"3\"}"),
        Arguments.of("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<APPROVEDATAINFO>\n  <SBLSH>001</SBLSH>\n"
                + "  <!-- a comment -->\n  <APPLY><NAME>张三</NAME><NAME>李四</NAME></APPLY>\n</APPROVEDATAINFO>\n",
            "{\"SBLSH\":\"001\",\"APPLY\":{\"NAME\":[\"张三\",\"李四\"]}}"),
        Arguments.of("<r><a>1</a><b/><a>2</a><a nil=\"true\"/></r>", "{\"a\":[\"1\",\"2\",null],\"b\":\"\"}"),
        Arguments.of("<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><x xsi:nil=\"true\"/>"
            + "<y nil=\"false\">v</y></r>", "{\"x\":null,\"y\":\"v\"}"),
        Arguments.of("<r><c><![CDATA[a<b]]> &amp; c</c><s>  padded  </s></r>",
            "{\"c\":\"a<b & c\",\"s\":\"  padded  \"}"),
        Arguments.of("<r/>", "{}"),
        Arguments.of("<r>\n</r>", "{}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("xmlToJson")
  void turnsXmlIntoJson(String xml, String expected) {
    Transform t = Transform.parse(obj("{'format':'json'}"), "transforms[0]");
    assertEquals(expected, text(t.apply(bytes(xml))));
  }

  @Test
  void jsonSurvivesXmlAndBack() {
    JsonObject record = obj("{'case':{'id':'C1','steps':[{'name':'受理','by':null,'at':'2024-05-01'},"
        + "{'name':'审核','by':'王五','at':'2024-05-02'}],'tags':['a','b','c']},'remark':null,'empty':'',"
        + "'text':'line1\\r\\nline2 & <more>'}");
    Route route = Route.parse(obj("{'id':'r','receivers':['B'],'transforms':[{'format':'xml','root':'CASE'},"
        + "{'format':'json'}]}"), "");
    assertEquals(record, new JsonObject(text(route.transform(bytes(record.encode())))));
  }

  static Stream<Arguments> refusedPayloads() {
    return Stream.of(
        Arguments.of("{'rename':{'a':'b'}}", "<record><a>1</a></record>",
            "rename needs a JSON object payload, but the payload is not one (it looks like XML: a JSON step cannot"
                + " follow format: xml)"),
        Arguments.of("{'drop':['a']}", "[1,2]", "drop needs a JSON object payload, but the payload is not one"),
        Arguments.of("{'map':{'a':'b'}}", "{\"a\":", "map needs a JSON object payload, but the payload is not one"),
        Arguments.of("{'constant':{'a':1}}", "", "constant needs a JSON object payload, but the payload is not one"),
        Arguments.of("{'format':'xml'}", "plain text", "format: xml needs a JSON object payload, but the payload is not one"),
        Arguments.of("{'rename':{'a':'b'}}", "{\"a\":1,\"b\":2}",
            "rename: the payload has a field 'b' already, so 'a' cannot become it"),
        Arguments.of("{'rename':{'a':'b'}}", "{\"b\":2,\"a\":1}",
            "rename: the payload has a field 'b' already, so 'a' cannot become it"),
        Arguments.of("{'format':'xml'}", "{\"1st\":1}", "format: xml: field '1st' is not a valid XML element name"),
        Arguments.of("{'format':'xml'}", "{\"a\":{\"b c\":1}}",
            "format: xml: field 'a.b c' is not a valid XML element name"),
        Arguments.of("{'format':'xml'}", "{\"ns:a\":1}", "format: xml: field 'ns:a' is not a valid XML element name"),
        Arguments.of("{'format':'xml'}", "{\"m\":[[1,2]]}",
            "format: xml: field 'm' holds an array of arrays, which XML elements cannot express"),
        Arguments.of("{'format':'xml'}", "{\"t\":\"a\\u0001\"}",
            "format: xml: field 't' holds the character U+0001, which XML 1.0 cannot carry"),
        Arguments.of("{'format':'json'}", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<r><a>&x;</a></r>", "format: json: the payload has a DTD or an entity reference, which are refused"),
        Arguments.of("{'format':'json'}", "<!DOCTYPE r><r/>",
            "format: json: the payload has a DTD or an entity reference, which are refused"),
        Arguments.of("{'format':'json'}", "<r><a>x<b>y</b></a></r>",
            "format: json: element 'a' has both text and child elements"),
        Arguments.of("{'format':'json'}", "<r>text</r>", "format: json: the root element 'r' holds text, not fields"));
  }

  @ParameterizedTest(name = "{0} refuses {1}")
  @MethodSource("refusedPayloads")
  void refusesPayloadItCannotHandle(String step, String payload, String message) {
    Transform t = Transform.parse(obj(step), "transforms[0]");
    TransformException e = assertThrows(TransformException.class, () -> t.apply(bytes(payload)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void refusesMalformedXml() {
    Transform t = Transform.parse(obj("{'format':'json'}"), "transforms[0]");
    TransformException e = assertThrows(TransformException.class, () -> t.apply(bytes("{\"a\":1}")));
    assertTrue(e.getMessage().startsWith("format: json: the payload is not well-formed XML: "), e.getMessage());
    e = assertThrows(TransformException.class, () -> t.apply(bytes("<r><a></r>")));
    assertTrue(e.getMessage().startsWith("format: json: the payload is not well-formed XML: "), e.getMessage());
  }

  @Test
  void leavesItsInputUnchanged() {
    JsonObject input = obj("{'a':1,'b':{'c':2}}");
    Payload payload = Payload.of(input);
    for (String step : new String[] {"{'rename':{'a':'x'}}", "{'drop':['a']}", "{'constant':{'a':9}}",
        "{'map':{'c':'b.c'}}"}) {
      ((TransformStep) Transform.parse(obj(step), "t")).applyTo(payload);
    }
    assertEquals(obj("{'a':1,'b':{'c':2}}"), input);
  }

  static Stream<Arguments> malformed() {
    String kinds = "rename, map, drop, constant, format";
    String fieldRule = "expected 1 to 64 letters, digits and _ $ -";
    return Stream.of(
        Arguments.of("'x'", "transforms[0]", "expected an object, got a string"),
        Arguments.of("{}", "transforms[0]", "empty step; expected one of " + kinds),
        Arguments.of("{'renam':{'a':'b'}}", "transforms[0].renam", "unknown key; expected one of " + kinds),
        Arguments.of("{'root':'x'}", "transforms[0].root", "unknown key; expected one of " + kinds),
        Arguments.of("{'rename':{'a':'b'},'drop':['c']}", "transforms[0].drop",
            "a step does one thing; this one has rename already"),
        Arguments.of("{'rename':{}}", "transforms[0].rename", "must not be empty"),
        Arguments.of("{'rename':['a']}", "transforms[0].rename", "expected an object, got a list"),
        Arguments.of("{'rename':{'a':'x','b':'x'}}", "transforms[0].rename.b", "'b' and 'a' would both become 'x'"),
        Arguments.of("{'rename':{'a':1}}", "transforms[0].rename.a", "expected a string, got a number (quote it in YAML)"),
        Arguments.of("{'rename':{'a b':'c'}}", "transforms[0].rename.a b", "'a b' is not valid: " + fieldRule),
        Arguments.of("{'rename':{'a':'c.d'}}", "transforms[0].rename.a", "'c.d' is not valid: " + fieldRule),
        Arguments.of("{'map':{'x':'a..b'}}", "transforms[0].map.x",
            "'a..b' is not a valid field path: each dot-separated segment must be 1 to 64 letters, digits and _ $ -"),
        Arguments.of("{'map':{'x.y':'a'}}", "transforms[0].map.x.y", "'x.y' is not valid: " + fieldRule),
        Arguments.of("{'map':[]}", "transforms[0].map", "expected an object, got a list"),
        Arguments.of("{'drop':[]}", "transforms[0].drop", "must not be empty"),
        Arguments.of("{'drop':'a'}", "transforms[0].drop", "expected a list, got a string"),
        Arguments.of("{'drop':['a','a']}", "transforms[0].drop[1]", "'a' is listed twice"),
        Arguments.of("{'drop':['a',2]}", "transforms[0].drop[1]", "expected a string, got a number (quote it in YAML)"),
        Arguments.of("{'constant':{}}", "transforms[0].constant", "must not be empty"),
        Arguments.of("{'constant':{'':1}}", "transforms[0].constant.", "'' is not valid: " + fieldRule),
        Arguments.of("{'format':'csv'}", "transforms[0].format", "unknown format 'csv'; expected xml or json"),
        Arguments.of("{'format':true}", "transforms[0].format", "expected a string, got a boolean"),
        Arguments.of("{'format':'json','root':'x'}", "transforms[0].root", "only format xml takes a root"),
        Arguments.of("{'format':'xml','root':'1x'}", "transforms[0].root", "'1x' is not a valid XML element name"),
        Arguments.of("{'format':'xml','root':'a:b'}", "transforms[0].root", "'a:b' is not a valid XML element name"));
  }

  @ParameterizedTest(name = "{0} fails at {1}")
  @MethodSource("malformed")
  void rejectsMalformed(String json, String path, String message) {
    DefinitionException e = assertThrows(DefinitionException.class, () -> Transform.parse(value(json), "transforms[0]"));
    assertEquals(path, e.path());
    assertEquals(path + ": " + message, e.getMessage());
  }

  @Test
  void xmlRootMayBeAnyXmlName() {
    Transform t = Transform.parse(obj("{'format':'xml','root':'办件'}"), "transforms[0]");
    assertEquals("<办件><a>1</a></办件>", text(t.apply(bytes("{\"a\":1}"))));
    assertEquals(obj("{'format':'xml'}"), Transform.parse(obj("{'format':'xml','root':'record'}"), "t").toJson());
  }
}
