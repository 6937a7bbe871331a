/**
 * Declared configuration: every key is declared once, with its type, default, validation and a one-line doc
 * ({@link io.huitong.config.ConfigDef}), and a configuration tree from any source (YAML files, environment) is
 * checked against those declarations into an immutable {@link io.huitong.config.Config}.
 *
 * <p>The model is Kafka's {@code ConfigDef}: key names are public API, secrets are a type whose {@code toString()}
 * hides them ({@link io.huitong.config.Secret}), and every error names the key path and what was expected
 * ({@link io.huitong.config.ConfigException}).
 */
package io.huitong.config;
