package io.huitong.hub.cases;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One recorded change of a case: submission (action null, from null) or a transition. */
public record CaseEvent(int seq, String action, CaseState from, CaseState to, Instant at, String actor, JsonObject detail) {

  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("action", action).put("from", from == null ? null : from.name())
        .put("to", to.name()).put("at", at.toString()).put("actor", actor).put("detail", detail);
  }
}
