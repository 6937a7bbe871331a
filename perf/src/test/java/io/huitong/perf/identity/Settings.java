package io.huitong.perf.identity;

/** System properties of the identity simulations. */
final class Settings {
  private Settings() {
  }

  static String required(String property) {
    String value = System.getProperty(property, "");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("Set -D" + property);
    }
    return value;
  }
}
