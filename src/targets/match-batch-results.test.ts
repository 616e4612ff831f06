// matchBatchResults: results are matched by the order they name, never credited to the wrong order.
import { describe, expect, it } from 'vitest';
import { type BatchMatch, matchBatchResults } from './match-batch-results.js';

const ok = (orderId: string) => ({ status: 201, body: { orderId, deductionId: `d-${orderId}` } });
const rejected = (error: string) => ({ status: 409, body: { error, message: error } });

function named(matches: BatchMatch[]): (string | undefined)[] {
  return matches.map((match) => {
    if (!match.matched) return undefined;
    const body = match.result.body as { orderId?: string; error?: string };
    return body.orderId ?? body.error;
  });
}

describe('matchBatchResults', () => {
  it('matches results in request order', () => {
    expect(named(matchBatchResults(['A', 'B'], [ok('A'), ok('B')]))).toEqual(['A', 'B']);
  });

  it('matches a reordered answer by orderId', () => {
    expect(named(matchBatchResults(['A', 'B', 'C'], [ok('C'), ok('A'), ok('B')]))).toEqual(['A', 'B', 'C']);
  });

  it('places unnamed error results by position while the answer is in request order', () => {
    expect(named(matchBatchResults(['A', 'B', 'C'], [ok('A'), rejected('x'), ok('C')]))).toEqual([
      'A',
      'x',
      'C',
    ]);
  });

  it('places the one unnamed result left over by elimination in a reordered answer', () => {
    expect(named(matchBatchResults(['A', 'B'], [rejected('x'), ok('A')]))).toEqual(['A', 'x']);
  });

  it('matches nothing it cannot place: several unnamed results in a reordered answer', () => {
    const matches = matchBatchResults(['A', 'B', 'C'], [ok('C'), rejected('x'), rejected('y')]);
    expect(named(matches)).toEqual([undefined, undefined, 'C']);
  });

  it('leaves an order without a result when the answer is short', () => {
    const [a, b] = matchBatchResults(['A', 'B'], [ok('A')]);
    expect(a?.matched).toBe(true);
    expect(b).toMatchObject({ matched: false, problem: expect.stringContaining('1 results for 2 orders') });
  });

  it('trusts neither result for an order named twice, and no result names an unknown order', () => {
    const matches = matchBatchResults(['A', 'B'], [ok('A'), ok('A')]);
    expect(matches[0]).toMatchObject({ matched: false, problem: 'more than one result names this order' });
    expect(matches[1]?.matched).toBe(false);
    const unknown = matchBatchResults(['A', 'B'], [ok('A'), ok('Z')]);
    expect(named(unknown)).toEqual(['A', undefined]);
  });
});
