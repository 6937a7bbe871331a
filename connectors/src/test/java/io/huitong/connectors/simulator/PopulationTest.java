package io.huitong.connectors.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PopulationTest {
  private final Population population = new Population(1, SimulatorOptions.DEFAULT_PEOPLE);

  @Test
  void checkCharacterFollowsGb11643() {
    // The standard's own example, and one whose check character is a digit.
    assertEquals('X', ResidentIdNumber.checkCharacter("11010519491231002"));
    assertTrue(ResidentIdNumber.isValid("11010519491231002X"));
    assertTrue(ResidentIdNumber.isValid("11010519491231002x"));
    assertTrue(ResidentIdNumber.isValid("440524188001010014"));
    assertFalse(ResidentIdNumber.isValid("440524188001010015"));
    assertFalse(ResidentIdNumber.isValid("44052418800101001"));
    assertFalse(ResidentIdNumber.isValid("4405241880010100A4"));
    assertFalse(ResidentIdNumber.isValid(null));
  }

  @Test
  void everyoneHasAValidUniqueIdNumberThatFindsThem() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < population.size(); i++) {
      Person p = population.person(i);
      assertTrue(ResidentIdNumber.isValid(p.idNumber()), p.idNumber());
      assertTrue(seen.add(p.idNumber()), "duplicate " + p.idNumber());
      assertEquals(p.male(), (p.idNumber().charAt(16) - '0') % 2 == 1, "the sequence's parity is the gender");
      assertEquals(p.region().code(), p.idNumber().substring(0, 6));
      if (i % 997 == 0 || i == population.size() - 1) {
        assertEquals(Optional.of(p), population.find(p.idNumber()));
      }
    }
  }

  @Test
  void theSameSeedGivesTheSamePeopleAndAnotherSeedOthers() {
    Population again = new Population(1, SimulatorOptions.DEFAULT_PEOPLE);
    Population other = new Population(2, SimulatorOptions.DEFAULT_PEOPLE);
    for (int i : new int[] {0, 1, 4242, 99_999}) {
      assertEquals(population.person(i), again.person(i));
      assertNotEquals(population.person(i), other.person(i));
    }
  }

  @Test
  void findRejectsNumbersOutsideThePopulation() {
    Person last = population.person(population.size() - 1);
    Population smaller = new Population(1, population.size() - 1);
    assertEquals(Optional.empty(), smaller.find(last.idNumber()));
    assertEquals(Optional.empty(), population.find("11010519491231002X"));
    assertEquals(Optional.empty(), population.find("not an ID number"));
  }

  @Test
  void agesSpanChildrenToTheElderly() {
    int children = 0;
    int elderly = 0;
    for (int i = 0; i < 10_000; i++) {
      int age = population.person(i).age();
      children += age <= 18 ? 1 : 0;
      elderly += age >= 70 ? 1 : 0;
    }
    assertTrue(children > 500 && elderly > 500, children + " children, " + elderly + " elderly");
  }
}
