package io.huitong.hub.files.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.files.MaterialRegistration;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The unified electronic code's format and check character, and the rules of a material's fields. */
class MaterialFieldsTest {
  private static final MaterialRegistration GOOD = new MaterialRegistration("a".repeat(32), " 营业执照 ", "张三",
      "11010519491231002x", "市市场监督管理局", Instant.parse("2025-03-01T08:30:00.123Z"), "YW-2025-0001", null,
      "SD370800-20250301-0001");

  /** Identifiers real licence platforms issued (three provinces), and one made with the algorithm. */
  @ParameterizedTest
  @ValueSource(strings = {
      "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
      "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
      "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9"})
  void realUnifiedCodesAreAccepted(String code) {
    assertNull(UnifiedCode.problem(code));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.1",
      "1.2.156.3005.3.11100000000013338W009.11330105002500287C.2025052201.002.0",
      "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.02.0",
      "1.2.156.3005.2.11100000000013338w009.11330105002500287C.2025052201.002.0",
      "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002",
      "1.2.156.3005.2.1110000000013338W009.11330105002500287C.2025052201.002.0",
      ""})
  void malformedUnifiedCodesAreRefused(String code) {
    assertNotNull(UnifiedCode.problem(code));
  }

  @Test
  void aChangedCharacterChangesTheCheckCharacter() {
    String body = "11100000000013338W01111430000006122244L20230000403001";
    char check = UnifiedCode.checkCharacter(body);
    assertEquals('U', check);
    for (int i = 0; i < body.length(); i++) {
      char[] changed = body.toCharArray();
      changed[i] = changed[i] == '9' ? '8' : '9';
      assertFalse(check == UnifiedCode.checkCharacter(new String(changed)), "a single change at " + i + " is caught");
    }
  }

  @Test
  void checkTrimsNormalisesAndKeepsTheSecond() {
    MaterialRegistration r = MaterialFields.check(GOOD);
    assertEquals("营业执照", r.name());
    assertEquals("11010519491231002X", r.holderIdNumber());
    assertEquals(Instant.parse("2025-03-01T08:30:00Z"), r.issuedAt());
    assertNull(r.unifiedCode());
  }

  @Test
  void eachBadFieldIsNamed() {
    assertInvalid("name", r -> with(r, "name", null));
    assertInvalid("name", r -> with(r, "name", "x".repeat(257)));
    assertInvalid("holderName", r -> with(r, "holderName", "张\u0000三"));
    assertInvalid("holderIdNumber", r -> with(r, "holderIdNumber", "1101 0519"));
    assertInvalid("department", r -> with(r, "department", " "));
    assertInvalid("caseNumber", r -> with(r, "caseNumber", "case number with spaces"));
    assertInvalid("businessNumber", r -> with(r, "businessNumber", "x".repeat(65)));
    assertInvalid("unifiedCode", r -> with(r, "unifiedCode", "1.2.156.3005.2.X"));
    assertInvalid("issuedAt", r -> new MaterialRegistration(r.uploadId(), r.name(), r.holderName(), r.holderIdNumber(),
        r.department(), null, r.businessNumber(), r.unifiedCode(), r.caseNumber()));
  }

  @Test
  void masksAllButTheEnds() {
    assertEquals("110*************2X", MaterialFields.mask("11010519491231002X"));
    assertEquals("913*************0Q", MaterialFields.mask("91370800MA3C0X1X0Q"));
    assertEquals("******", MaterialFields.mask("E12345"));
  }

  @Test
  void theCanonicalDocumentCoversEveryFieldAndTheFileDigest() {
    MaterialRegistration r = MaterialFields.check(GOOD);
    byte[] sm3 = new byte[32];
    byte[] canonical = MaterialFields.canonical("b".repeat(32), r, 11, sm3);
    assertTrue(new String(canonical, StandardCharsets.UTF_8).startsWith("{\"format\":\"huitong-material/1\",\"id\":\"bbbb"));
    assertTrue(Arrays.equals(canonical, MaterialFields.canonical("b".repeat(32), r, 11, sm3)), "deterministic");
    assertFalse(Arrays.equals(canonical, MaterialFields.canonical("b".repeat(32), with(r, "department", "other"), 11, sm3)));
    assertFalse(Arrays.equals(canonical, MaterialFields.canonical("b".repeat(32), r, 12, sm3)));
    byte[] other = sm3.clone();
    other[31] = 1;
    assertFalse(Arrays.equals(canonical, MaterialFields.canonical("b".repeat(32), r, 11, other)));
  }

  private static void assertInvalid(String field, UnaryOperator<MaterialRegistration> change) {
    HubException e = assertThrows(HubException.class, () -> MaterialFields.check(change.apply(GOOD)));
    assertEquals(HubError.MATERIAL_INVALID, e.error());
    assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
  }

  private static MaterialRegistration with(MaterialRegistration r, String field, String value) {
    return new MaterialRegistration(r.uploadId(),
        field.equals("name") ? value : r.name(), field.equals("holderName") ? value : r.holderName(),
        field.equals("holderIdNumber") ? value : r.holderIdNumber(), field.equals("department") ? value : r.department(),
        r.issuedAt(), field.equals("businessNumber") ? value : r.businessNumber(),
        field.equals("unifiedCode") ? value : r.unifiedCode(), field.equals("caseNumber") ? value : r.caseNumber());
  }
}
