package io.huitong.hub.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FormBodyTest {
  @Test
  void decodesEachPartAndKeepsTheFirstValueOfAName() {
    assertEquals(Map.of("grant_type", "refresh_token", "scope", "openid profile", "name", "政务 服务", "flag", "",
            "a=b", "c&d"),
        FormBody.parse("grant_type=refresh_token&scope=openid+profile&name=%E6%94%BF%E5%8A%A1%20%E6%9C%8D%E5%8A%A1"
            + "&&flag&a%3Db=c%26d&scope=ignored&"));
    assertEquals(Map.of(), FormBody.parse(""));
    assertEquals(Map.of("token", "a.b.c"), FormBody.parse("token=a.b.c"));
  }

  @Test
  void refusesAMalformedPercentEncoding() {
    assertThrows(IllegalArgumentException.class, () -> FormBody.parse("token=%zz"));
    assertThrows(IllegalArgumentException.class, () -> FormBody.parse("token=abc%2"));
  }
}
