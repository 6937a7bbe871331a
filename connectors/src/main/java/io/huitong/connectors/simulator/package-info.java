/**
 * The department simulator (部门模拟器): REST and SOAP stand-ins for the department systems behind the 22
 * convenience queries of seed 001, over a generated population, with faults injected on request. Tests and
 * benchmarks start {@link io.huitong.connectors.simulator.DepartmentSimulator} on a free port and talk to it over
 * real sockets; {@code scripts/simulator} runs it on its own. The contract is in {@code docs/simulator.md}.
 */
package io.huitong.connectors.simulator;
