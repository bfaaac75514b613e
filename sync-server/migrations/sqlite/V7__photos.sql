-- 7: photos. The operations attaching a photo are found by its hash (uploads, downloads, retention);
-- `photos_purged` remembers the photos whose files retention removed, so they stay unknown.
CREATE INDEX ops_photo_hash ON ops (json_extract(body, '$.hash')) WHERE kind = 'photo';
    CREATE TABLE photos_purged (
        hash      TEXT PRIMARY KEY,
        purged_ms INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
