-- Appointment slots per hall queue, the appointments booked into them, and the reminders sent for them.

CREATE TABLE slot (
  id         text PRIMARY KEY,
  hall       text NOT NULL,
  queue      text NOT NULL,
  starts_at  timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL,
  capacity   integer NOT NULL CHECK (capacity >= 0),
  -- Kept by the same statement that books or cancels, so capacity holds under concurrent booking.
  booked     integer NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
  CHECK (ends_at > starts_at),
  UNIQUE (hall, queue, starts_at)
);

CREATE TABLE appointment (
  id               text PRIMARY KEY,
  slot_id          text NOT NULL REFERENCES slot (id),
  hall             text NOT NULL,
  queue            text NOT NULL,
  starts_at        timestamptz NOT NULL,
  ends_at          timestamptz NOT NULL,
  id_number_sealed bytea NOT NULL,
  id_number_index  text NOT NULL,
  masked_id_number text NOT NULL,
  name             text NOT NULL,
  phone_sealed     bytea NOT NULL,
  masked_phone     text NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('PORTAL', 'KIOSK')),
  state            text NOT NULL CHECK (state IN ('BOOKED', 'CANCELLED', 'CHECKED_IN')),
  booked_at        timestamptz NOT NULL,
  cancelled_at     timestamptz,
  checked_in_at    timestamptz,
  ticket           jsonb
);

-- One live booking per person per slot; a cancelled one does not count.
CREATE UNIQUE INDEX appointment_one_per_person ON appointment (slot_id, id_number_index) WHERE state <> 'CANCELLED';
CREATE INDEX appointment_person ON appointment (id_number_index, starts_at);
CREATE INDEX appointment_booked_start ON appointment (starts_at) WHERE state = 'BOOKED';

-- A reminder is claimed here before it is sent: the claim is a lease, so one member sends it, and a member that
-- died while sending leaves it to another once the lease ends.
CREATE TABLE reminder (
  appointment_id text NOT NULL REFERENCES appointment (id),
  lead_seconds   bigint NOT NULL,
  claimed_by     text NOT NULL,
  claimed_until  timestamptz NOT NULL,
  sent_at        timestamptz,
  PRIMARY KEY (appointment_id, lead_seconds)
);
