-- Skip, hold, finish and transfer take the window that acts, as recall already did: a window terminal names its own
-- window (the kiosk bridge fills it in), and such a command acts only on a ticket called or held at that window. The
-- V1 functions check the ticket's state alone, so a terminal could finish or skip another window's ticket and set
-- that window idle. Each takes the window in an overload that checks it and then runs the V1 function, which stays
-- as it is for a member not yet upgraded; with a null window (an operator over REST) nothing changes.

-- Locks the hall; when p_window is given, the ticket must be called or held at it, else 409 HT-QUEUE-STATE.
CREATE OR REPLACE FUNCTION ticket_at_window(p_hall text, p_ticket uuid, p_window text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t queue.ticket;
BEGIN
  PERFORM queue.lock_hall(p_hall);
  t := queue.find_ticket(p_hall, p_ticket);
  IF p_window IS NOT NULL AND (t.state NOT IN ('called', 'held') OR t.window_id IS DISTINCT FROM p_window) THEN
    PERFORM queue.fail(409, 'HT-QUEUE-STATE', 'Ticket ' || t.number || ' is ' || t.state
        || coalesce(' at window ' || t.window_id, '') || ', not at window ' || p_window);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION skip(p_hall text, p_ticket uuid, p_window text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  PERFORM queue.ticket_at_window(p_hall, p_ticket, p_window);
  RETURN queue.skip(p_hall, p_ticket);
END $$;

CREATE OR REPLACE FUNCTION hold(p_hall text, p_ticket uuid, p_window text) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  PERFORM queue.ticket_at_window(p_hall, p_ticket, p_window);
  RETURN queue.hold(p_hall, p_ticket);
END $$;

CREATE OR REPLACE FUNCTION finish(p_hall text, p_ticket uuid, p_weight double precision, p_window text)
    RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  PERFORM queue.ticket_at_window(p_hall, p_ticket, p_window);
  RETURN queue.finish(p_hall, p_ticket, p_weight);
END $$;

CREATE OR REPLACE FUNCTION transfer(p_hall text, p_ticket uuid, p_to_queue text, p_front boolean, p_window text)
    RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  PERFORM queue.ticket_at_window(p_hall, p_ticket, p_window);
  RETURN queue.transfer(p_hall, p_ticket, p_to_queue, p_front);
END $$;
