-- 4: a run that records its own track. The points the recorder kept and has not yet sent in a chunk
-- (a RunPoints operation every 30 s or 50 points) wait here, each durable when taken, so a run
-- killed with the app resumes without losing its path.

    CREATE TABLE track_buffer (
        run         BLOB NOT NULL,
        t           INTEGER NOT NULL,
        lon         REAL NOT NULL,
        lat         REAL NOT NULL,
        acc         REAL,
        PRIMARY KEY (run, t)
    ) STRICT;
    