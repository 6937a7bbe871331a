package io.huitong.connectors.simulator;

import java.time.LocalDate;
import java.time.Period;

/** One resident of the simulated population; {@code index} is the position that reproduces them. */
public record Person(int index, String idNumber, String name, boolean male, LocalDate birthDate, String phone,
                     Region region, String address) {

  /** Age in whole years on the population's reference day, so answers never change with the clock. */
  public int age() {
    return Period.between(birthDate, Population.AS_OF).getYears();
  }
}
