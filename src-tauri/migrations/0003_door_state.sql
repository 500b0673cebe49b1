-- A door's state as Kisi last reported it (locked down, offline; JSON {cause, message, fix} or
-- NULL), as the hub's Access page carried it, so the page shown offline (A6) still says so.
ALTER TABLE door_window ADD COLUMN door_state TEXT;
