-- Call-next, same rule as V1, but it decides per queue of the window, not per waiting ticket: V1 counted a queue's
-- waiting tickets once for each of them, which made a call cost the square of the queue's length under the hall lock.
-- The count stops once it is past the windows idle longer, and the head of each queue comes from the index.
DROP INDEX ticket_waiting;
CREATE INDEX ticket_waiting ON ticket (queue_id, priority DESC, position, id) WHERE state = 'waiting';

-- Call-next for a window. Priority first (green channel, VIP, appointment, normal), then the earliest position.
-- Fairness: a ticket of queue Q goes to this window only while Q has more waiting tickets than there are other
-- windows serving Q that have been idle longer than this one and whose claim is fresh (idle for at most
-- p_claim_seconds; a window idle longer is taken to be unattended). So when tickets are scarce, the longest-idle
-- windows get them, and a window that just finished does not overtake a window that has waited longer.
CREATE OR REPLACE FUNCTION call_next(p_hall text, p_window text, p_claim_seconds int) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  w   queue.service_window;
  t   queue.ticket;
  evs jsonb := '[]';
BEGIN
  PERFORM queue.lock_hall(p_hall);
  w := queue.find_window(p_hall, p_window);
  IF w.state <> 'idle' THEN
    PERFORM queue.fail(409, 'HT-QUEUE-STATE', 'Window ' || w.id || ' is ' || w.state || ', not idle');
  END IF;
  SELECT c.* INTO t
    FROM (SELECT mine.queue_id,
                 (SELECT count(*) FROM queue.window_queue other JOIN queue.service_window o ON o.id = other.window_id
                   WHERE other.queue_id = mine.queue_id AND o.id <> w.id AND o.state = 'idle'
                     AND o.state_since < w.state_since
                     AND o.state_since > now() - make_interval(secs => p_claim_seconds)) AS longer_idle
            FROM queue.window_queue mine WHERE mine.window_id = w.id) q
    CROSS JOIN LATERAL (SELECT count(*) AS n FROM (SELECT 1 FROM queue.ticket x
                         WHERE x.queue_id = q.queue_id AND x.state = 'waiting' LIMIT q.longer_idle + 1) enough) waiting
    CROSS JOIN LATERAL (SELECT * FROM queue.ticket h WHERE h.queue_id = q.queue_id AND h.state = 'waiting'
                         ORDER BY h.priority DESC, h.position, h.id LIMIT 1) c
   WHERE waiting.n > q.longer_idle
   ORDER BY c.priority DESC, c.position, c.id
   LIMIT 1;
  IF NOT FOUND THEN
    PERFORM queue.fail(404, 'HT-QUEUE-NO-TICKET', 'No waiting ticket for window ' || w.id
        || ' (tickets go first to windows idle longer)');
  END IF;
  UPDATE queue.ticket SET state = 'called', window_id = w.id, called_at = now(), call_count = call_count + 1,
                          serving_since = now()
   WHERE id = t.id RETURNING * INTO t;
  evs := evs || queue.emit(p_hall, 'ticket.called', queue.call_fields(t, w.id) || jsonb_build_object('callCount', t.call_count));
  evs := evs || queue.set_window(p_hall, w.id, 'serving', t.id);
  evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(t.queue_id));
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

