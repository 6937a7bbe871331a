/**
 * The hub's configuration: {@link io.huitong.hub.config.HubConfiguration} gathers every capability's key
 * declarations and reads {@code config/hub.yaml}, {@code --config} and {@code HUB_*} variables.
 */
package io.huitong.hub.config;
