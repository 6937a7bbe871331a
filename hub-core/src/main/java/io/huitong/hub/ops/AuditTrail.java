package io.huitong.hub.ops;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.smallrye.mutiny.Uni;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audit entry per action, written when the action's {@code Uni} ends: outcome {@code ok}, or the catalogue code
 * it failed with. An entry that cannot be written is logged; it never fails the action.
 */
public final class AuditTrail {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private AuditTrail() {
  }

  /**
   * @param event  the entry; its outcome is replaced
   * @param target the target named on success, from the item (such as the id of what was created); null keeps the
   *               event's
   */
  public static <T> Uni<T> around(AuditLog audit, AuditEvent event, Function<T, String> target, Uni<T> work) {
    return work.call(item -> write(audit, event, target == null || target.apply(item) == null ? event.target()
            : target.apply(item), "ok"))
        .onFailure().call(e -> write(audit, event, event.target(),
            e instanceof HubException h ? h.error().code() : HubError.INTERNAL.code()));
  }

  private static Uni<Void> write(AuditLog audit, AuditEvent event, String target, String outcome) {
    return audit.record(new AuditEvent(event.actor(), event.action(), target, outcome, event.requestId(),
            event.remoteAddress(), event.detail()))
        .onFailure().recoverWithItem(e -> {
          LOG.warn("Audit event {} not recorded: {}", event.action(), e.toString());
          return null;
        });
  }
}
