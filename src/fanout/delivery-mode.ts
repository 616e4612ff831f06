// How a mutation delivers its writes: wait for them (SYNC), queue them all (ASYNC), or queue what still fails transiently.

/** The SDL's DeliveryMode: SYNC waits, ASYNC queues every write, SYNC_OR_QUEUE queues transient failures. */
export type DeliveryMode = 'SYNC' | 'ASYNC' | 'SYNC_OR_QUEUE';
