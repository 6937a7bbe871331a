package io.huitong.connectors.simulator;

import java.util.List;

/**
 * One query a department answers, for example 工伤保险缴费信息查询 as {@code hrss/work-injury-insurance}.
 *
 * @param department the department's kebab-case name in paths ({@code hrss}, {@code public-security}, ...)
 * @param name       the query's kebab-case name in paths
 * @param title      the service's name as the department lists it
 * @param seedItems  the numbers of the 22 convenience queries (便民查询) of seed 001 it serves; empty for extras
 * @param parameters the request parameters, {@code idNumber} first
 */
public record DepartmentQuery(String department, String name, String title, List<Integer> seedItems,
                              List<String> parameters) {

  /** {@code department/name}, as in {@code /api/{department}/{name}} and {@code /_sim/people?has=}. */
  public String path() {
    return department + "/" + name;
  }

  /** The SOAP operation: {@code work-injury-insurance} becomes {@code queryWorkInjuryInsurance}. */
  public String operation() {
    return "query" + pascalCase(name);
  }

  static String pascalCase(String kebab) {
    StringBuilder out = new StringBuilder();
    for (String word : kebab.split("-")) {
      out.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
    }
    return out.toString();
  }
}
