import { EventType } from '../protocol/codes.js';

export type WatchEventType = 'created' | 'deleted' | 'dataChanged' | 'childrenChanged';

/** A watch firing; `path` is the client's path (chroot removed). */
export interface WatchEvent {
  type: WatchEventType;
  path: string;
}

/** A one-shot watch: called once, for the first change of the kind it was set for. */
export type Watcher = (event: WatchEvent) => void;

/** data: set by getData or by exists on a node that exists; exist: by exists on a missing node; child: by getChildren. */
export type WatchKind = 'data' | 'exist' | 'child';

const EVENT_NAMES: Record<number, WatchEventType> = {
  [EventType.NodeCreated]: 'created',
  [EventType.NodeDeleted]: 'deleted',
  [EventType.NodeDataChanged]: 'dataChanged',
  [EventType.NodeChildrenChanged]: 'childrenChanged',
};

/** Which kinds of watch an event of each type consumes (ZKWatchManager.materialize). */
const CONSUMES: Record<WatchEventType, readonly WatchKind[]> = {
  created: ['data', 'exist'],
  dataChanged: ['data', 'exist'],
  deleted: ['data', 'exist', 'child'],
  childrenChanged: ['child'],
};

export function watchEventType(code: number): WatchEventType | undefined {
  return EVENT_NAMES[code];
}

/**
 * The client's side of the one-shot watches (ZKWatchManager): the server keeps one watch per path
 * and kind for the session, the client keeps the callbacks, registered when the reply that set the
 * watch arrives. The paths are what SetWatches re-registers after a reconnect.
 */
export class ClientWatches {
  private readonly byKind: Record<WatchKind, Map<string, Set<Watcher>>> = { data: new Map(), exist: new Map(), child: new Map() };

  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const map = this.byKind[kind];
    let set = map.get(path);
    if (!set) map.set(path, (set = new Set()));
    set.add(watcher);
  }

  /** Removes and returns the watchers `event` fires, each once even if it watched several kinds. */
  take(event: WatchEvent): Set<Watcher> {
    const fired = new Set<Watcher>();
    for (const kind of CONSUMES[event.type]) {
      const set = this.byKind[kind].get(event.path);
      if (!set) continue;
      this.byKind[kind].delete(event.path);
      for (const w of set) fired.add(w);
    }
    return fired;
  }

  paths(kind: WatchKind): string[] {
    return [...this.byKind[kind].keys()];
  }

  clear(): void {
    for (const map of Object.values(this.byKind)) map.clear();
  }
}
