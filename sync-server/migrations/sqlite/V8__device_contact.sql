-- 8: who is out there: each device's last contact (the server's clock), the outbox size and the app
-- version it last said (`torgkoll_shared::devices`).
ALTER TABLE devices ADD COLUMN last_contact_ms INTEGER;
    ALTER TABLE devices ADD COLUMN pending INTEGER;
    ALTER TABLE devices ADD COLUMN app TEXT;
