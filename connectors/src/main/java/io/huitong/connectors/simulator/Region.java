package io.huitong.connectors.simulator;

/** A county-level division: its 6-digit administrative code (行政区划代码, the first six digits of an ID number). */
public record Region(String code, String name) {
}
