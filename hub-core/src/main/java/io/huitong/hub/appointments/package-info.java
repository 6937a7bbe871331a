/**
 * Appointments (预约): slots per hall queue and day with a capacity, booking and cancelling from portals and kiosks,
 * SMS reminders ahead of the slot (claimed in PostgreSQL, so sent once across members and restarts), and check-in,
 * which asks the hall queue for a ticket of kind {@code appointment}.
 *
 * <p>Tables (schema {@code appointments}): {@code slot}, {@code appointment}, {@code reminder}. Routes:
 * {@code /api/v1/appointments/*}, {@code /api/v1/admin/appointments/*}. Event bus: sends requests to
 * {@code huitong.queue.command} ({@code take-ticket}); consumes {@code huitong.appointments.command} (book, cancel,
 * lookup, check-in for kiosks). Config keys: {@code appointments.*}
 * ({@link io.huitong.hub.appointments.AppointmentsConfig}). See docs/appointments.md.
 */
package io.huitong.hub.appointments;
