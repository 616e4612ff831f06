// sagaOutcome: the order's status and compensation list for every combination of stored write and compensation states.
import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryState } from '../delivery/index.js';
import { sagaOutcome } from './saga-outcome.js';
import type { SagaMember } from './saga-view.js';

function delivery(
  kind: Delivery['kind'],
  target: string,
  state: DeliveryState,
  result: Delivery['result'] = null,
): Delivery {
  return {
    id: `dlv_${kind}_${target}`,
    kind,
    orderId: 'o-1',
    target,
    upstreamKey: `key-${target}`,
    payload: {},
    traceparent: null,
    clientId: null,
    createdAt: 0,
    state,
    attempts: state === 'QUEUED' ? 0 : 1,
    nextAttemptAt: null,
    lastFailure: state === 'DEAD' ? 'boom' : null,
    result,
    deliveredAt: null,
    updatedAt: 0,
    leaseExpiresAt: null,
    cancelRequested: false,
  };
}

function member(
  target: string,
  write: DeliveryState,
  compensation?: DeliveryState,
  result: Delivery['result'] = null,
): SagaMember {
  return {
    writeId: `dlv_write_${target}`,
    write: delivery('write', target, write),
    compensation: compensation ? delivery('compensation', target, compensation, result) : undefined,
  };
}

describe('sagaOutcome', () => {
  it.each([
    ['every write delivered', [member('inventory', 'DELIVERED'), member('crm', 'DELIVERED')], 'SUCCEEDED'],
    [
      'a write still queued, none failed',
      [member('inventory', 'DELIVERED'), member('crm', 'QUEUED')],
      'ACCEPTED',
    ],
    [
      'one write dead, the other undone',
      [member('inventory', 'DELIVERED', 'DELIVERED'), member('crm', 'DEAD')],
      'ROLLED_BACK',
    ],
    [
      'one write dead, its undo queued',
      [member('inventory', 'DELIVERED', 'QUEUED'), member('crm', 'DEAD')],
      'ROLLBACK_PENDING',
    ],
    [
      'one write dead, its undo in flight',
      [member('inventory', 'DELIVERED', 'IN_FLIGHT'), member('crm', 'DEAD')],
      'ROLLBACK_PENDING',
    ],
    [
      'one write dead, another still being stopped',
      [member('inventory', 'IN_FLIGHT'), member('crm', 'DEAD')],
      'ROLLBACK_PENDING',
    ],
    [
      'one write dead, its undo dead',
      [member('inventory', 'DELIVERED', 'DEAD'), member('crm', 'DEAD')],
      'NEEDS_ATTENTION',
    ],
    [
      'one write dead, its undo cancelled',
      [member('inventory', 'DELIVERED', 'CANCELLED'), member('crm', 'DEAD')],
      'NEEDS_ATTENTION',
    ],
    ['both writes dead, nothing applied', [member('inventory', 'DEAD'), member('crm', 'DEAD')], 'FAILED'],
    [
      'one dead, the other cancelled before it was sent',
      [member('inventory', 'CANCELLED'), member('crm', 'DEAD')],
      'FAILED',
    ],
    [
      'one dead, the other delivered and not reconciled yet',
      [member('inventory', 'DELIVERED'), member('crm', 'DEAD')],
      'ROLLBACK_PENDING',
    ],
  ] as const)('%s: %s', (_, members, status) => {
    expect(sagaOutcome({ members }).status).toBe(status);
  });

  it('lists one entry per compensation with its state, delivery id, attempts and whether the write was applied', () => {
    const notApplied = { writeApplied: false, httpStatus: 409 };
    const outcome = sagaOutcome({
      members: [
        member('inventory', 'DELIVERED', 'DELIVERED'),
        member('crm', 'DEAD', 'DELIVERED', notApplied),
      ],
    });
    expect(outcome.compensations).toEqual([
      {
        target: 'inventory',
        state: 'COMPENSATED',
        deliveryId: 'dlv_compensation_inventory',
        attempts: 1,
        lastFailure: null,
        writeWasApplied: true,
      },
      {
        target: 'crm',
        state: 'COMPENSATED',
        deliveryId: 'dlv_compensation_crm',
        attempts: 1,
        lastFailure: null,
        writeWasApplied: false,
      },
    ]);
  });

  it('says nothing about whether the write was applied until its compensation is delivered', () => {
    const outcome = sagaOutcome({
      members: [member('inventory', 'DELIVERED', 'DEAD'), member('crm', 'DEAD')],
    });
    expect(outcome.compensations).toMatchObject([
      { state: 'FAILED', writeWasApplied: null, lastFailure: 'boom' },
    ]);
  });
});
