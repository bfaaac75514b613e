-- 2: the server's clock corrections (`torgkoll_shared::timefix`): each operation keeps what the phone
-- said beside the corrected time and effective clock, which every fold uses. The materialized state
-- is folded anew from the log (`rebuild` in `meta`), since its stamps now carry the corrected time.

    ALTER TABLE oplog ADD COLUMN fix_at INTEGER;
    ALTER TABLE oplog ADD COLUMN fix_hlc INTEGER;
    INSERT INTO meta (key, value) VALUES ('rebuild', '1')
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    