-- 5: photos (`store/photos.rs`). The bytes live in files named by their SHA-256 beside the database
-- (`photos/<hash>.jpg`, `photos/thumbs/<hash>.jpg`); this table says what the phone has of each and,
-- for its own, where the upload stands.

    CREATE TABLE photos (
        hash        TEXT PRIMARY KEY,   -- SHA-256 of the processed bytes, lowercase hex
        report      BLOB NOT NULL,      -- the report it was first attached to
        bytes       INTEGER NOT NULL,
        w           INTEGER NOT NULL,
        h           INTEGER NOT NULL,
        own         INTEGER NOT NULL,   -- 1 if made on this phone, 0 if pulled
        upload      TEXT,               -- own photos: pending | sent | failed
        has_full    INTEGER NOT NULL,   -- photos/<hash>.jpg is on disk
        has_thumb   INTEGER NOT NULL,   -- photos/thumbs/<hash>.jpg is on disk
        created_ms  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX photos_report ON photos (report);
    