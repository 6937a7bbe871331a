package io.huitong.hub.ops;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Secret;
import io.huitong.config.Validator;

/**
 * Operations: the operator API token guarding {@code /api/v1/admin/**}.
 *
 * @param operatorToken a configured token, or empty to use the one generated into {@code <data-dir>/operator-token}
 */
public record OpsConfig(Secret operatorToken) {
  public static final String OPERATOR_TOKEN = "ops.operator-token";

  public static void declare(ConfigDef def) {
    def.section("ops", "Operations: the admin API.")
        .define(OPERATOR_TOKEN, ConfigType.SECRET, "",
            Validator.of("empty, or at least 24 characters", v -> ((Secret) v).isEmpty() || ((Secret) v).reveal().length() >= 24),
            "Bearer token for /api/v1/admin/**; empty uses the one generated into <data-dir>/operator-token on first start.");
  }

  public static OpsConfig from(Config c) {
    return new OpsConfig(c.getSecret(OPERATOR_TOKEN));
  }
}
