import type { CommandDef } from '../spec.js';
import { PSUBSCRIBE } from './PSUBSCRIBE.js';
import { PUBLISH } from './PUBLISH.js';
import { PUBSUB } from './PUBSUB.js';
import { PUNSUBSCRIBE } from './PUNSUBSCRIBE.js';
import { SPUBLISH } from './SPUBLISH.js';
import { SSUBSCRIBE } from './SSUBSCRIBE.js';
import { SUBSCRIBE } from './SUBSCRIBE.js';
import { SUNSUBSCRIBE } from './SUNSUBSCRIBE.js';
import { UNSUBSCRIBE } from './UNSUBSCRIBE.js';

/** The pubsub family (Redis's `pubsub` group): channels, patterns and shard channels on this node. */
export const pubsubCommands: readonly CommandDef[] = [
  PSUBSCRIBE,
  PUBLISH,
  PUBSUB,
  PUNSUBSCRIBE,
  SPUBLISH,
  SSUBSCRIBE,
  SUBSCRIBE,
  SUNSUBSCRIBE,
  UNSUBSCRIBE,
];
