// Public surface of the saga (ALL_OR_NOTHING): the request path, the worker's observer, and the runtime both share.
export { placeAllOrNothing } from './place-all-or-nothing.js';
export { joinSaga, sagaWritesOf } from './saga-members.js';
export { sagaAfterCancel, sagaReplayRefusal } from './saga-operator-actions.js';
export { type SagaOutcome, type SagaStatus, sagaOutcome } from './saga-outcome.js';
export { createSagaRuntime, type SagaRuntime } from './saga-runtime.js';
export { loadSaga, type SagaView } from './saga-view.js';
export { createSagaWriteObserver } from './saga-write-observer.js';
export { startSagaWorker } from './start-saga-worker.js';
