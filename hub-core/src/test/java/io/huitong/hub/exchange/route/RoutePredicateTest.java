package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import static io.huitong.hub.exchange.route.TestJson.obj;
import static io.huitong.hub.exchange.route.TestJson.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Route conditions: every operator both ways, and every malformed form with the path it is reported at. */
class RoutePredicateTest {

  static Stream<Arguments> evaluations() {
    return Stream.of(
        Arguments.of("{'field':'type','equals':'CASE_STEP'}", "{'type':'CASE_STEP'}", true),
        Arguments.of("{'field':'type','equals':'CASE_STEP'}", "{'type':'CASE_END'}", false),
        Arguments.of("{'field':'type','equals':'CASE_STEP'}", "{}", false),
        Arguments.of("{'field':'n','equals':1}", "{'n':1.0}", true),
        Arguments.of("{'field':'n','equals':1.0}", "{'n':1}", true),
        Arguments.of("{'field':'n','equals':0.1}", "{'n':0.1}", true),
        Arguments.of("{'field':'n','equals':1}", "{'n':1.5}", false),
        Arguments.of("{'field':'n','equals':1}", "{'n':'1'}", false),
        Arguments.of("{'field':'n','equals':12345678901234567890}", "{'n':12345678901234567890}", true),
        Arguments.of("{'field':'n','equals':12345678901234567890}", "{'n':12345678901234567891}", false),
        Arguments.of("{'field':'ok','equals':true}", "{'ok':true}", true),
        Arguments.of("{'field':'ok','equals':true}", "{'ok':'true'}", false),
        Arguments.of("{'field':'x','equals':null}", "{'x':null}", true),
        Arguments.of("{'field':'x','equals':null}", "{}", false),
        Arguments.of("{'field':'x','equals':null}", "{'x':0}", false),
        Arguments.of("{'field':'a.b.c','equals':'v'}", "{'a':{'b':{'c':'v'}}}", true),
        Arguments.of("{'field':'a.b.c','equals':'v'}", "{'a':{'b':{'c':'w'}}}", false),
        Arguments.of("{'field':'a.b.c','equals':'v'}", "{'a':{'b':'c'}}", false),
        Arguments.of("{'field':'a.b','equals':'v'}", "{'a.b':'v'}", false),
        Arguments.of("{'field':'dept','in':['GA','MZ']}", "{'dept':'MZ'}", true),
        Arguments.of("{'field':'dept','in':['GA','MZ']}", "{'dept':'SW'}", false),
        Arguments.of("{'field':'dept','in':['GA','MZ']}", "{}", false),
        Arguments.of("{'field':'n','in':[1,2.0]}", "{'n':2}", true),
        Arguments.of("{'field':'n','in':[null,'x']}", "{'n':null}", true),
        Arguments.of("{'field':'a.b','exists':true}", "{'a':{'b':0}}", true),
        Arguments.of("{'field':'a.b','exists':true}", "{'a':{'b':null}}", true),
        Arguments.of("{'field':'a.b','exists':true}", "{'a':{}}", false),
        Arguments.of("{'field':'a.b','exists':true}", "{'a':[{'b':1}]}", false),
        Arguments.of("{'field':'a.b','exists':false}", "{'a':{}}", true),
        Arguments.of("{'field':'a.b','exists':false}", "{'a':{'b':1}}", false),
        Arguments.of("{'field':'area','matches':'[0-9]{6}'}", "{'area':'110101'}", true),
        Arguments.of("{'field':'area','matches':'[0-9]{6}'}", "{'area':'1101012'}", false),
        Arguments.of("{'field':'area','matches':'[0-9]{6}'}", "{'area':110101}", false),
        Arguments.of("{'field':'area','matches':'.*'}", "{'area':null}", false),
        Arguments.of("{'field':'days','greaterThan':3}", "{'days':5}", true),
        Arguments.of("{'field':'days','greaterThan':3}", "{'days':3}", false),
        Arguments.of("{'field':'days','greaterThan':3}", "{'days':3.01}", true),
        Arguments.of("{'field':'days','greaterThan':3}", "{'days':'5'}", false),
        Arguments.of("{'field':'days','greaterThan':3}", "{}", false),
        Arguments.of("{'field':'days','lessThan':1.5}", "{'days':1}", true),
        Arguments.of("{'field':'days','lessThan':1.5}", "{'days':1.5}", false),
        Arguments.of("{'field':'days','lessThan':1.5}", "{'days':true}", false),
        Arguments.of("{'all':[{'field':'a','equals':1},{'field':'b','equals':2}]}", "{'a':1,'b':2}", true),
        Arguments.of("{'all':[{'field':'a','equals':1},{'field':'b','equals':2}]}", "{'a':1,'b':3}", false),
        Arguments.of("{'any':[{'field':'a','equals':1},{'field':'b','equals':2}]}", "{'a':0,'b':2}", true),
        Arguments.of("{'any':[{'field':'a','equals':1},{'field':'b','equals':2}]}", "{'a':0,'b':0}", false),
        Arguments.of("{'not':{'field':'a','exists':true}}", "{}", true),
        Arguments.of("{'not':{'field':'a','exists':true}}", "{'a':1}", false),
        Arguments.of("{'all':[{'any':[{'field':'s','equals':'x'},{'not':{'field':'s','exists':true}}]},"
            + "{'field':'n','lessThan':10}]}", "{'n':9}", true));
  }

  @ParameterizedTest(name = "{0} on {1} is {2}")
  @MethodSource("evaluations")
  void evaluates(String predicate, String payload, boolean expected) {
    Predicate p = Predicate.parse(obj(predicate), "when");
    assertEquals(expected, p.test(obj(payload)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evaluations")
  void roundTripsThroughJson(String predicate, String payload, boolean expected) {
    Predicate p = Predicate.parse(obj(predicate), "when");
    assertEquals(obj(predicate), p.toJson());
    assertEquals(p, Predicate.parse(p.toJson(), "when"));
  }

  static Stream<Arguments> malformed() {
    String operators = "equals, in, exists, matches, greaterThan, lessThan";
    return Stream.of(
        Arguments.of("'x'", "when", "expected an object, got a string"),
        Arguments.of("{}", "when", "empty predicate; expected all, any, not or field"),
        Arguments.of("{'nor':[]}", "when.nor", "unknown key; expected all, any, not or field"),
        Arguments.of("{'all':[{'field':'a','equals':1}],'any':[{'field':'a','equals':1}]}", "when.any",
            "a predicate has one of all, any and not; this one has all already"),
        Arguments.of("{'all':[]}", "when.all", "must not be empty"),
        Arguments.of("{'any':'x'}", "when.any", "expected a list, got a string"),
        Arguments.of("{'not':[]}", "when.not", "expected an object, got a list"),
        Arguments.of("{'all':[{'field':'a','equals':1},{'field':'b'}]}", "when.all[1]",
            "missing operator; expected one of " + operators),
        Arguments.of("{'any':[{'not':{'field':'a','exists':'yes'}}]}", "when.any[0].not.exists",
            "expected true or false, got a string"),
        Arguments.of("{'field':'a','equals':1,'in':[1]}", "when.in",
            "a field predicate has exactly one operator; this one has equals already"),
        Arguments.of("{'field':'a','equal':1}", "when.equal",
            "unknown key; expected one of field, " + operators),
        Arguments.of("{'equals':1,'field':'a','not':{}}", "when.not",
            "unknown key; expected one of field, " + operators),
        Arguments.of("{'field':1,'exists':true}", "when.field", "expected a string, got a number (quote it in YAML)"),
        Arguments.of("{'field':'a..b','exists':true}", "when.field",
            "'a..b' is not a valid field path: each dot-separated segment must be 1 to 64 letters, digits and _ $ -"),
        Arguments.of("{'field':'a b','exists':true}", "when.field",
            "'a b' is not a valid field path: each dot-separated segment must be 1 to 64 letters, digits and _ $ -"),
        Arguments.of("{'field':'a.b.c.d.e.f.g.h.i','exists':true}", "when.field",
            "'a.b.c.d.e.f.g.h.i' has 9 segments; at most 8 are allowed"),
        Arguments.of("{'field':'a','equals':{'x':1}}", "when.equals",
            "expected a string, number, boolean or null, got an object"),
        Arguments.of("{'field':'a','in':[]}", "when.in", "must not be empty"),
        Arguments.of("{'field':'a','in':'x'}", "when.in", "expected a list, got a string"),
        Arguments.of("{'field':'a','in':[1,[2]]}", "when.in[1]", "expected a string, number, boolean or null, got a list"),
        Arguments.of("{'field':'a','exists':1}", "when.exists", "expected true or false, got a number"),
        Arguments.of("{'field':'a','matches':'('}", "when.matches",
            "not a valid regular expression: Unclosed group near index 1"),
        Arguments.of("{'field':'a','matches':'" + "x".repeat(257) + "'}", "when.matches",
            "the expression has 257 characters; at most 256 are allowed"),
        Arguments.of("{'field':'a','matches':5}", "when.matches", "expected a string, got a number (quote it in YAML)"),
        Arguments.of("{'field':'a','greaterThan':'5'}", "when.greaterThan", "expected a number, got a string"),
        Arguments.of("{'field':'a','lessThan':null}", "when.lessThan", "expected a number, got null"),
        Arguments.of("{'not':{'not':{'not':{'not':{'not':{'not':{'not':{'not':{'field':'a','exists':true}}}}}}}}}",
            "when.not.not.not.not.not.not.not.not", "predicates nest more than 8 levels deep"));
  }

  @ParameterizedTest(name = "{0} fails at {1}")
  @MethodSource("malformed")
  void rejectsMalformed(String json, String path, String message) {
    DefinitionException e = assertThrows(DefinitionException.class, () -> Predicate.parse(value(json), "when"));
    assertEquals(path, e.path());
    assertEquals(path + ": " + message, e.getMessage());
  }

  @Test
  void nestsEightLevelsDeep() {
    Predicate p = Predicate.parse(obj("{'not':{'not':{'not':{'not':{'not':{'not':{'not':{'field':'a','exists':true}}}}}}}}"),
        "when");
    assertEquals(false, p.test(obj("{'a':1}")));
  }

  @Test
  void readsYamlMapsAsWellAsJsonObjects() {
    Predicate p = Predicate.parse(java.util.Map.of("field", "a", "in", java.util.List.of(1, "b")), "when");
    assertEquals(obj("{'field':'a','in':[1,'b']}"), p.toJson());
  }
}
