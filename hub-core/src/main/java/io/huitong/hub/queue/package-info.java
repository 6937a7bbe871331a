/**
 * Hall queue calling (排队叫号): halls; queues (business types, each with a ticket prefix); windows serving some of
 * the hall's queues (offline, idle, serving, paused); tickets (normal, appointment, VIP, green channel) taken by ID
 * card, phone or appointment check-in; call-next, recall, skip, re-check-in, transfer to the front or back of
 * another queue, hold and finish; waiting counts and estimated waits (EWMA of service time) with every change.
 *
 * <p>Contract: every change of a hall is one PostgreSQL transaction that locks the hall's counter row, so call-next
 * is atomic across cluster members, and appends the hall's events with a gapless per-hall {@code seq}. After commit
 * its events are published on {@code huitong.queue.hall.<hallId>} in one message {@code {hall, events}}, each event
 * {@code {"hall","seq","type","at",...}} (types
 * {@code ticket.taken}, {@code ticket.called}, {@code ticket.recalled}, {@code ticket.skipped},
 * {@code ticket.rechecked}, {@code ticket.transferred}, {@code ticket.held}, {@code ticket.finished},
 * {@code window.state}, {@code queue.stats}). Requests: {@code huitong.queue.events} {@code {hall, after, limit}},
 * {@code huitong.queue.snapshot} {@code {hall}}, {@code huitong.queue.command} {@code {action, hall, ...}}; failures
 * are {@code fail(httpStatus, "HT-QUEUE-<WHAT>: message")}. See {@link io.huitong.hub.queue.QueueService}.
 *
 * <p>Tables (schema {@code queue}): {@code hall}, {@code business_queue}, {@code service_window},
 * {@code window_queue}, {@code ticket}, {@code hall_event}. Routes: {@code /api/v1/queue/*},
 * {@code /api/v1/admin/queue/*} (window actions and admin calls are audited). Config keys: {@code queue.*} ({@link io.huitong.hub.queue.QueueConfig}). See
 * docs/queue.md.
 */
package io.huitong.hub.queue;
