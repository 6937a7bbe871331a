package io.huitong.hub.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the request id of the calling thread's Vert.x context into the MDC at the moment a log call is made, on the
 * thread that makes it. Log events are written later by an asynchronous appender, on another thread, where the
 * Vert.x context is gone; the MDC is copied into the event before it leaves, so the id travels with it. Decides
 * nothing: always {@link FilterReply#NEUTRAL}.
 */
public class RequestIdMdc extends TurboFilter {
  /** MDC key of the request id. */
  public static final String KEY = "requestId";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    String id = RequestContext.current();
    if (id != null) {
      MDC.put(KEY, id);
    } else if (MDC.get(KEY) != null) {
      MDC.remove(KEY);
    }
    return FilterReply.NEUTRAL;
  }
}
