// Public surface of the fan-out engine.
export {
  createFanoutSession,
  type FanoutResult,
  type FanoutSession,
  type TargetOutcomes,
} from './create-fanout-session.js';
export { type FanoutStatus, fanoutStatus } from './fanout-status.js';
