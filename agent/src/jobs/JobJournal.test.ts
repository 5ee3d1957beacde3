import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobJournal, journalRetentionMs } from './JobJournal.ts';

let stateDir: string;
let journal: JobJournal;

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'plumbline-journal-'));
  journal = JobJournal.open(stateDir);
});

afterEach(() => {
  journal.close();
});

const job = (jobId: string, mutates = false) => ({
  jobId,
  kind: mutates ? 'push' : 'noop',
  mutates,
  receivedAtMs: 1,
});
const ok = { ok: true as const, result: { lines: 3 } };

describe('JobJournal', () => {
  it('is a WAL database readable by its owner only', () => {
    journal.recordFinished(job('a'), ok, 10);
    for (const name of readdirSync(stateDir).filter((file) => file.startsWith('journal.db'))) {
      expect(statSync(join(stateDir, name)).mode & 0o777).toBe(0o600);
    }
    const db = new Database(join(stateDir, 'journal.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('keeps a finished outcome across reopening', () => {
    journal.recordStarted(job('a'), 5);
    expect(journal.lookup('a')).toEqual({ state: 'started', kind: 'noop', mutates: false });
    journal.recordFinished(job('a'), ok, 10);
    journal.close();
    journal = JobJournal.open(stateDir);
    expect(journal.lookup('a')).toEqual({
      state: 'finished',
      kind: 'noop',
      mutates: false,
      outcome: ok,
    });
    expect(journal.lookup('b')).toBeUndefined();
  });

  it('after a crash ends unfinished mutating jobs interrupted and forgets read-only ones', () => {
    journal.recordStarted(job('push-1', true), 5);
    journal.recordStarted(job('read-1'), 5);
    journal.recordFinished(job('done-1', true), ok, 6);
    expect(journal.recoverUnfinished(100)).toEqual({
      interrupted: ['push-1'],
      forgotten: ['read-1'],
    });
    expect(journal.lookup('push-1')).toMatchObject({
      state: 'finished',
      outcome: { ok: false, error: { code: 'interrupted' } },
    });
    expect(journal.lookup('read-1')).toBeUndefined();
    expect(journal.lookup('done-1')).toMatchObject({ outcome: ok });
  });

  it('prunes finished jobs older than 7 days, never unfinished ones', () => {
    const now = 30 * 24 * 3600 * 1000;
    journal.recordFinished(job('old'), ok, now - journalRetentionMs - 1);
    journal.recordFinished(job('recent'), ok, now - journalRetentionMs + 1);
    journal.recordStarted(job('running'), 0);
    expect(journal.prune(now)).toBe(1);
    expect(journal.lookup('old')).toBeUndefined();
    expect(journal.lookup('recent')).toBeDefined();
    expect(journal.lookup('running')).toBeDefined();
  });
});
