package io.huitong.hub.cases;

/**
 * Electronic supervision (电子监察) of a case's clock: the JCZT levels of the e-supervision tables (0 正常, 1 预警,
 * 2 黄牌, 5 红牌). Not a state of the case: it is recomputed from the deadlines and the time.
 */
public enum Supervision {
  NORMAL(0), WARNING(1), YELLOW(2), RED(5);

  private final int code;

  Supervision(int code) {
    this.code = code;
  }

  /** The JCZT code. */
  public int code() {
    return code;
  }
}
