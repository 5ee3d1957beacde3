import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { type JobOutcome, jobOutcomeSchema } from '@plumbline/proto';
import Database from 'better-sqlite3';

export type JournalEntry =
  | { state: 'started'; kind: string; mutates: boolean }
  | { state: 'finished'; kind: string; mutates: boolean; outcome: JobOutcome };

/** Finished outcomes are kept this long; the cloud's outbox gives up on a job well before. */
export const journalRetentionMs = 7 * 24 * 3600 * 1000;

/**
 * The agent's memory of jobs across restarts, in `<state-dir>/journal.db` (SQLite, WAL, 0600):
 * a row is written when a job starts and again, with its outcome, before the result is sent.
 * So a redelivered job is answered from here and a mutating job never runs twice.
 */
export class JobJournal {
  private readonly db: Database.Database;
  private readonly statements;

  private constructor(db: Database.Database) {
    this.db = db;
    this.statements = {
      lookup: db.prepare<[string], Row>('SELECT * FROM jobs WHERE job_id = ?'),
      start: db.prepare(
        `INSERT INTO jobs (job_id, kind, mutates, state, received_at_ms, started_at_ms)
         VALUES (@jobId, @kind, @mutates, 'started', @receivedAtMs, @atMs)
         ON CONFLICT (job_id) DO UPDATE SET state = 'started', started_at_ms = @atMs`,
      ),
      finish: db.prepare(
        `INSERT INTO jobs (job_id, kind, mutates, state, outcome, received_at_ms, finished_at_ms)
         VALUES (@jobId, @kind, @mutates, 'finished', @outcome, @receivedAtMs, @atMs)
         ON CONFLICT (job_id) DO UPDATE SET state = 'finished', outcome = @outcome,
           finished_at_ms = @atMs`,
      ),
      unfinished: db.prepare<[], Row>("SELECT * FROM jobs WHERE state = 'started'"),
      forget: db.prepare<[string]>('DELETE FROM jobs WHERE job_id = ?'),
      prune: db.prepare<[number]>(
        "DELETE FROM jobs WHERE state = 'finished' AND finished_at_ms < ?",
      ),
    };
  }

  static open(stateDir: string): JobJournal {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const path = join(stateDir, 'journal.db');
    // Made 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    closeSync(openSync(path, 'a', 0o600));
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // FULL: a finished job must survive a power cut, or a push could run twice after it.
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE IF NOT EXISTS jobs (
      job_id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      mutates INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('started', 'finished')),
      outcome TEXT,
      received_at_ms INTEGER NOT NULL,
      started_at_ms INTEGER,
      finished_at_ms INTEGER
    );
    CREATE INDEX IF NOT EXISTS jobs_finished_at ON jobs (finished_at_ms);`);
    return new JobJournal(db);
  }

  lookup(jobId: string): JournalEntry | undefined {
    const row = this.statements.lookup.get(jobId);
    if (row === undefined) return undefined;
    const base = { kind: row.kind, mutates: row.mutates === 1 };
    if (row.state === 'started') return { state: 'started', ...base };
    return { state: 'finished', ...base, outcome: parseOutcome(row.outcome) };
  }

  recordStarted(job: JobRecord, atMs: number): void {
    this.statements.start.run({ ...toParams(job), atMs });
  }

  recordFinished(job: JobRecord, outcome: JobOutcome, atMs: number): void {
    this.statements.finish.run({ ...toParams(job), outcome: JSON.stringify(outcome), atMs });
  }

  /**
   * After a restart: jobs that started and never finished. A mutating one ends `interrupted`
   * (it may have acted, so it must not run again); a read-only one is forgotten, so a
   * redelivery runs it afresh. Returns how many of each.
   */
  recoverUnfinished(atMs: number): { interrupted: string[]; forgotten: string[] } {
    const interrupted: string[] = [];
    const forgotten: string[] = [];
    this.db.transaction(() => {
      for (const row of this.statements.unfinished.all()) {
        if (row.mutates === 1) {
          this.recordFinished(
            { jobId: row.job_id, kind: row.kind, mutates: true, receivedAtMs: row.received_at_ms },
            interruptedOutcome(),
            atMs,
          );
          interrupted.push(row.job_id);
        } else {
          this.statements.forget.run(row.job_id);
          forgotten.push(row.job_id);
        }
      }
    })();
    return { interrupted, forgotten };
  }

  /** Deletes finished jobs older than the retention; returns how many. */
  prune(nowMs: number): number {
    return this.statements.prune.run(nowMs - journalRetentionMs).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export interface JobRecord {
  jobId: string;
  kind: string;
  mutates: boolean;
  receivedAtMs: number;
}

export function interruptedOutcome(): JobOutcome {
  return {
    ok: false,
    error: {
      code: 'interrupted',
      message:
        'the agent stopped while this job ran; it changes the network, so it is not run again. ' +
        'Check the device and issue a new job if needed',
    },
  };
}

interface Row {
  job_id: string;
  kind: string;
  mutates: number;
  state: 'started' | 'finished';
  outcome: string | null;
  received_at_ms: number;
  started_at_ms: number | null;
  finished_at_ms: number | null;
}

function toParams(job: JobRecord) {
  return {
    jobId: job.jobId,
    kind: job.kind,
    mutates: job.mutates ? 1 : 0,
    receivedAtMs: job.receivedAtMs,
  };
}

/** The journal is our own file, but it is read back from disk: checked like any input. */
function parseOutcome(text: string | null): JobOutcome {
  let json: unknown;
  try {
    json = text === null ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = jobOutcomeSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return {
    ok: false,
    error: { code: 'failed', message: 'the journal holds a damaged outcome for this job' },
  };
}
