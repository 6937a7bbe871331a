-- Changing the queues a window serves changes the open windows of each queue it joins or leaves, so their estimated
-- waits: V1 left that change to the service's own statements, which journalled and published nothing, and screens
-- kept the old figures until the next ticket moved. The change is now one function like every other command: it
-- locks the hall and emits queue.stats for each queue added or removed, with the hall's next seq, in its transaction.

-- Makes the window serve exactly p_queues (queues of its hall; else 404 HT-QUEUE-QUEUE-NOT-FOUND and nothing changes).
-- Answers {reply: the window, events}.
CREATE FUNCTION set_window_queues(p_hall text, p_window text, p_queues text[]) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  w      queue.service_window;
  before text[];
  evs    jsonb := '[]';
  q      text;
BEGIN
  PERFORM queue.lock_hall(p_hall);
  w := queue.find_window(p_hall, p_window);
  IF (SELECT count(*) FROM queue.business_queue WHERE hall_id = p_hall AND id = ANY (p_queues)) <> cardinality(p_queues) THEN
    PERFORM queue.fail(404, 'HT-QUEUE-QUEUE-NOT-FOUND', 'Not every queue of [' || array_to_string(p_queues, ', ')
        || '] is a queue of hall ' || p_hall);
  END IF;
  SELECT coalesce(array_agg(queue_id), '{}') INTO before FROM queue.window_queue WHERE window_id = p_window;
  DELETE FROM queue.window_queue WHERE window_id = p_window;
  INSERT INTO queue.window_queue (window_id, queue_id) SELECT p_window, unnest(p_queues);
  FOR q IN SELECT id FROM queue.business_queue WHERE hall_id = p_hall AND (id = ANY (before)) <> (id = ANY (p_queues))
      ORDER BY id LOOP
    evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(q));
  END LOOP;
  RETURN jsonb_build_object('reply', queue.window_json(w), 'events', evs);
END $$;
