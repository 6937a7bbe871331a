package io.huitong.hub.identity.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IdentityFieldsTest {

  @ParameterizedTest
  @ValueSource(strings = {"91110000802100433B", "91440300708461136T", "91350100M000100Y43"})
  void creditCodesWithTheirGb32100CheckCharacterPass(String code) {
    assertTrue(IdentityFields.isCreditCode(code), code);
    assertEquals(code, IdentityFields.creditCode(" " + code.toLowerCase() + " "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"91110000802100433C", "91110000802100433", "911100008021004331B", "9111000080210043IB",
      "91110000802100433O", ""})
  void creditCodesWithAWrongCheckCharacterLengthOrLetterFail(String code) {
    assertFalse(IdentityFields.isCreditCode(code), code);
    HubException e = assertThrows(HubException.class, () -> IdentityFields.creditCode(code));
    assertEquals(HubError.CREDIT_CODE_INVALID, e.error());
  }

  @ParameterizedTest
  @CsvSource({"11010519491231002X, 11010519491231002X", "11010519491231002x, 11010519491231002X",
      "' 440308199901010012 ', 440308199901010012"})
  void idNumbersAreCheckedAndNormalised(String raw, String expected) {
    assertEquals(expected, IdentityFields.idNumber(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"110105194912310021", "11010519491231002", "1101051949123100XX", "A10105194912310029"})
  void idNumbersWithAWrongCheckCharacterOrShapeFail(String raw) {
    HubException e = assertThrows(HubException.class, () -> IdentityFields.idNumber(raw));
    assertEquals(HubError.ID_NUMBER_INVALID, e.error());
  }

  @ParameterizedTest
  @CsvSource({"13912345678, 13912345678", "+86 139 1234 5678, 13912345678", "0086-13912345678, 13912345678"})
  void phonesAreNormalised(String raw, String expected) {
    assertEquals(expected, IdentityFields.phone(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"12912345678", "1391234567", "139123456789", "02012345678"})
  void phonesThatAreNotMainlandMobilesFail(String raw) {
    assertEquals(HubError.PHONE_INVALID, assertThrows(HubException.class, () -> IdentityFields.phone(raw)).error());
  }

  @Test
  void masksHideTheBirthDateAndThePhonesMiddle() {
    assertEquals("110105********002X", IdentityFields.maskIdNumber("11010519491231002X"));
    assertEquals("139****5678", IdentityFields.maskPhone("13912345678"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"short1", "onlyletters", "12345678901", ""})
  void weakPasswordsAreRefused(String password) {
    assertEquals(HubError.PASSWORD_WEAK,
        assertThrows(HubException.class, () -> IdentityFields.newPassword(password)).error());
  }
}
