/**
 * The ISR as the leader sees it (Kafka's PartitionState, KIP-497): committed by the controller, or
 * with a change sent and not yet answered. While a change is pending no other is made.
 */
export type IsrState =
  | { readonly kind: 'committed'; readonly isr: readonly number[] }
  /** A follower caught up: it already counts for the high watermark (stricter, so safe if refused). */
  | { readonly kind: 'pendingExpand'; readonly isr: readonly number[]; readonly proposed: readonly number[] }
  /** Followers fell behind: they still count until the controller commits the smaller ISR. */
  | { readonly kind: 'pendingShrink'; readonly isr: readonly number[]; readonly proposed: readonly number[] };

/** An ISR change for the controller (AlterPartition), made under this leader and partition epoch. */
export interface IsrChange {
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly isr: readonly number[];
}

/** Who the high watermark and acks=all wait for: the committed ISR, plus a member being added. */
export function maximalIsr(state: IsrState): readonly number[] {
  return state.kind === 'pendingExpand' ? state.proposed : state.isr;
}

/** Back to the last committed ISR (the controller said the change was not applied). */
export function committedIsr(state: IsrState): IsrState {
  return { kind: 'committed', isr: state.isr };
}
