// Unit behaviour of the idempotency ledger and the stable JSON fingerprints it compares.
import { describe, expect, it } from 'vitest';
import { answerOfLedgerResult, createIdempotencyLedger } from '../../src/demo/idempotency-ledger.js';

const created = (id: number) => ({ status: 201, body: { id } });

describe('idempotency ledger', () => {
  it('applies a keyed request once and replays the first answer for the same body', () => {
    const ledger = createIdempotencyLedger();
    let applied = 0;
    const apply = () => created(++applied);

    const first = ledger.run('s', 'k', { a: 1, b: [1, 2] }, apply);
    const second = ledger.run('s', 'k', { b: [1, 2], a: 1 }, apply);

    expect(first).toEqual({ answer: created(1), replayed: false });
    expect(second).toEqual({ answer: created(1), replayed: true });
    expect(answerOfLedgerResult(second).headers).toEqual({ 'Idempotent-Replayed': 'true' });
    expect(applied).toBe(1);
  });

  it('refuses the same key with a different body without applying it', () => {
    const ledger = createIdempotencyLedger();
    ledger.run('s', 'k', { a: 1 }, () => created(1));
    const reused = ledger.run('s', 'k', { a: 2 }, () => created(2));

    expect(reused.answer.status).toBe(422);
    expect(reused.answer.body).toMatchObject({ error: 'idempotency_key_reused' });
  });

  it('always applies requests without a key and keeps scopes apart', () => {
    const ledger = createIdempotencyLedger();
    let applied = 0;
    const apply = () => created(++applied);
    ledger.run('s', undefined, {}, apply);
    ledger.run('s', undefined, {}, apply);
    ledger.run('other', 'k', {}, apply);
    ledger.run('s', 'k', {}, apply);

    expect(applied).toBe(4);
  });

  it('forgets the oldest keys beyond its limit', () => {
    const ledger = createIdempotencyLedger(2);
    let applied = 0;
    const apply = () => created(++applied);
    for (const key of ['a', 'b', 'c', 'a']) ledger.run('s', key, {}, apply);

    expect(applied).toBe(4);
  });
});
