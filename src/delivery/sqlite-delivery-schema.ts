// Opens the embedded delivery database: pragmas for durability, and the schema migrations (user_version).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { asDeliveryQueueError, DeliveryQueueError } from './delivery-queue-error.js';

export const DELIVERY_DATABASE_FILE = 'deliveries.sqlite';

/** Marks the file as ours ("FOdq"), so pointing FANOUT_DATA_DIR at some other SQLite file is refused. */
const APPLICATION_ID = 0x464f6471;

/**
 * Migrations in order; `user_version` is how many have run. Append, never edit a released one.
 * STRICT tables reject a value of the wrong type instead of storing it.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE deliveries (
     seq              INTEGER PRIMARY KEY AUTOINCREMENT, -- insertion order: the list cursor; never reused
     id               TEXT    NOT NULL UNIQUE,
     kind             TEXT    NOT NULL CHECK (kind IN ('write', 'compensation')),
     order_id         TEXT    NOT NULL,
     target           TEXT    NOT NULL,
     upstream_key     TEXT    NOT NULL,
     payload          TEXT    NOT NULL,                  -- JSON
     traceparent      TEXT,
     client_id        TEXT,
     created_at       INTEGER NOT NULL,
     updated_at       INTEGER NOT NULL,
     state            TEXT    NOT NULL CHECK (state IN ('QUEUED', 'IN_FLIGHT', 'DELIVERED', 'DEAD', 'CANCELLED')),
     attempts         INTEGER NOT NULL,
     next_attempt_at  INTEGER,
     last_failure     TEXT,
     result           TEXT,                              -- JSON
     delivered_at     INTEGER,
     claim_token      TEXT,
     lease_expires_at INTEGER,
     cancel_requested INTEGER NOT NULL DEFAULT 0
   ) STRICT;
   -- claimDue: one target's due QUEUED rows, oldest due first; also the queue-lag query.
   CREATE INDEX deliveries_due ON deliveries (target, state, next_attempt_at, seq);
   -- lease expiry sweep.
   CREATE INDEX deliveries_leases ON deliveries (lease_expires_at) WHERE state = 'IN_FLIGHT';
   -- list by order, by state, and prune.
   CREATE INDEX deliveries_order ON deliveries (order_id, seq);
   CREATE INDEX deliveries_state ON deliveries (state, seq);
   CREATE INDEX deliveries_finished ON deliveries (state, updated_at) WHERE state IN ('DELIVERED', 'CANCELLED');`,
];

export interface OpenDeliveryDatabaseOptions {
  readonly dataDir: string;
  readonly busyTimeoutMs: number;
}

/**
 * Opens (creating if needed) `<dataDir>/deliveries.sqlite` in WAL mode with synchronous=FULL and migrates it.
 * @throws DeliveryQueueError(DELIVERY_QUEUE_UNAVAILABLE) naming the file: not a directory, not writable,
 * not a database, written by a newer version, or locked past the busy timeout — never a hang.
 */
export function openDeliveryDatabase(options: OpenDeliveryDatabaseOptions): Database.Database {
  const file = join(options.dataDir, DELIVERY_DATABASE_FILE);
  let db: Database.Database | undefined;
  try {
    mkdirSync(options.dataDir, { recursive: true });
    db = new Database(file, { timeout: options.busyTimeoutMs });
    configure(db);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw asDeliveryQueueError(error, `cannot open the delivery queue at ${file} (FANOUT_DATA_DIR)`);
  }
}

/** Private: durability settings, per connection (better-sqlite3's `timeout` already set busy_timeout). */
function configure(db: Database.Database): void {
  // WAL: readers never block the writer, and a crash mid-write leaves the last commit intact.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal')
    throw new DeliveryQueueError('DELIVERY_QUEUE_UNAVAILABLE', `journal_mode is ${mode}, not wal`);
  // FULL: every commit is fsynced before enqueue resolves, so an ACCEPTED delivery survives even a power
  // loss; NORMAL would only survive a process crash. The cost (one fsync per commit) is shared by all
  // deliveries of one commit: enqueue groups one event-loop turn's calls into a single transaction.
  db.pragma('synchronous = FULL');
}

/** Private: runs the missing migrations in one write transaction, safe when several processes start at once. */
function migrate(db: Database.Database): void {
  const run = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (version > MIGRATIONS.length)
      throw new DeliveryQueueError(
        'DELIVERY_QUEUE_UNAVAILABLE',
        `schema version ${version} is newer than this gateway knows (${MIGRATIONS.length}): it was written by a newer release`,
      );
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    if (applicationId !== APPLICATION_ID && (applicationId !== 0 || version !== 0 || tables.n > 0))
      throw new DeliveryQueueError(
        'DELIVERY_QUEUE_UNAVAILABLE',
        'the file is an SQLite database of another application',
      );
    for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  run.immediate();
}
