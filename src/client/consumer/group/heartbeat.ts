import { ErrorCode } from '../../../protocol/errors.js';
import { ApiKey } from '../../../protocol/generated/api-info.js';
import type { CoordinatorLink } from './coordinator-link.js';
import { GroupError } from './group-errors.js';
import type { MemberIdentity } from './join-sync.js';

/** One Heartbeat for the member's generation; error codes throw GroupErrors. */
export async function sendHeartbeat(link: CoordinatorLink, member: MemberIdentity): Promise<void> {
  const { response } = await link.request(ApiKey.Heartbeat, (version) => ({
    groupId: member.groupId,
    generationId: member.generationId,
    memberId: member.memberId,
    groupInstanceId: version >= 3 ? member.groupInstanceId : null,
  }));
  if (response.errorCode !== ErrorCode.NONE) throw new GroupError(response.errorCode, member.groupId, 'Heartbeat');
}

export interface HeartbeatHooks {
  /** Sends one heartbeat; resolves true when the coordinator accepted it. Never rejects. */
  beat(): Promise<boolean>;
  /** No heartbeat was accepted for session.timeout.ms: the coordinator has likely dropped the member. */
  sessionExpired(): void;
}

/**
 * Heartbeats every heartbeat.interval.ms while the member is in a stable generation (Java's
 * heartbeat thread, here timers on the event loop): one in flight at a time, the next one an
 * interval after the previous was sent, or sooner than that after a failure (retry.backoff.ms).
 */
export class HeartbeatLoop {
  private timer: NodeJS.Timeout | undefined;
  /** Counts starts and stops: a beat answered after a restart must not schedule a second chain. */
  private run = 0;
  private lastSuccessMs = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly sessionTimeoutMs: number,
    private readonly retryBackoffMs: number,
    private readonly hooks: HeartbeatHooks,
  ) {}

  start(): void {
    this.stop();
    this.lastSuccessMs = Date.now();
    this.schedule(this.intervalMs);
  }

  stop(): void {
    this.run++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    const run = this.run;
    this.timer = setTimeout(() => void this.tick(run), delayMs);
  }

  private async tick(run: number): Promise<void> {
    if (Date.now() - this.lastSuccessMs >= this.sessionTimeoutMs) {
      this.hooks.sessionExpired();
      this.lastSuccessMs = Date.now();
    }
    const sentMs = Date.now();
    const accepted = await this.hooks.beat();
    if (run !== this.run) return;
    if (accepted) this.lastSuccessMs = sentMs;
    this.schedule(accepted ? Math.max(0, sentMs + this.intervalMs - Date.now()) : this.retryBackoffMs);
  }
}
