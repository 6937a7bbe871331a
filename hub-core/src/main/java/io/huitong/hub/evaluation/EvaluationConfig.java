package io.huitong.hub.evaluation;

import io.huitong.config.Config;
import io.huitong.config.ConfigDef;
import io.huitong.config.ConfigType;
import io.huitong.config.Validator;
import java.time.Duration;

/**
 * Citizen evaluation (好差评).
 *
 * @param badThreshold          ratings up to this one are bad (差评) and open a rectification task
 * @param rectificationDeadline how long a rectification task has, in calendar time
 * @param invitationValidity    how long after its invitation an SMS rating is taken for a case
 */
public record EvaluationConfig(int badThreshold, Duration rectificationDeadline, Duration invitationValidity) {
  public static final String BAD_THRESHOLD = "evaluation.bad-threshold";
  public static final String RECTIFICATION_DEADLINE = "evaluation.rectification-deadline";
  public static final String INVITATION_VALIDITY = "evaluation.invitation-validity";

  public static void declare(ConfigDef def) {
    def.section("evaluation", "Citizen ratings of handled cases and the rectification of bad ones (see docs/evaluation.md).")
        .define(BAD_THRESHOLD, ConfigType.INT, 2, Validator.between(1, 4),
            "Ratings (1 to 5) up to this one are bad (差评): each opens a rectification task; ratings above it count"
                + " as satisfied in the statistics.")
        .define(RECTIFICATION_DEADLINE, ConfigType.DURATION, "5d", Validator.between(Duration.ofHours(1), Duration.ofDays(365)),
            "How long a rectification task has from the bad rating, in calendar time (not working days); past it the"
                + " task shows as overdue.")
        .define(INVITATION_VALIDITY, ConfigType.DURATION, "7d", Validator.between(Duration.ofHours(1), Duration.ofDays(90)),
            "How long after a case's evaluation invitation an SMS reply from its phone is taken as the case's rating.");
  }

  public static EvaluationConfig from(Config c) {
    return new EvaluationConfig(c.getInt(BAD_THRESHOLD), c.getDuration(RECTIFICATION_DEADLINE), c.getDuration(INVITATION_VALIDITY));
  }
}
