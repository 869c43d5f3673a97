import type { Assignor } from './assignor.js';
import { rangeAssignor } from './range-assignor.js';
import { roundRobinAssignor } from './round-robin-assignor.js';

/** The assignment strategies kts's group members speak, by JoinGroup protocol name. */
export const ASSIGNORS: ReadonlyMap<string, Assignor> = new Map([rangeAssignor, roundRobinAssignor].map((a) => [a.name, a]));
