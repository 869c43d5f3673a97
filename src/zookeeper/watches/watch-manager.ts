import { EventType, WatcherType } from '../protocol/codes.js';
import type { TreeEvent } from '../tree/data-tree.js';
import { selfAndAncestors } from '../tree/path.js';

/** Whoever gets the notification (a client connection). */
export interface Watcher {
  notify(event: TreeEvent): void;
}

type Kind = 'data' | 'child' | 'persistent' | 'recursive';
const KINDS: readonly Kind[] = ['data', 'child', 'persistent', 'recursive'];

/**
 * WatchManager: one-shot data/exists and child watches, and the persistent kinds of addWatch.
 * Each trigger notifies a watcher at most once, as ZooKeeper dedupes within one event.
 */
export class WatchManager {
  private readonly byKind: Record<Kind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    child: new Map(),
    persistent: new Map(),
    recursive: new Map(),
  };
  /** Reverse index so a closing connection drops its watches without a scan. */
  private readonly byWatcher = new Map<Watcher, Record<Kind, Set<string>>>();

  add(kind: Kind, path: string, watcher: Watcher): void {
    let set = this.byKind[kind].get(path);
    if (!set) this.byKind[kind].set(path, (set = new Set()));
    set.add(watcher);
    let mine = this.byWatcher.get(watcher);
    if (!mine) {
      mine = { data: new Set(), child: new Set(), persistent: new Set(), recursive: new Set() };
      this.byWatcher.set(watcher, mine);
    }
    mine[kind].add(path);
  }

  trigger(event: TreeEvent): void {
    const fired = new Set<Watcher>();
    const fire = (w: Watcher): void => {
      if (fired.has(w)) return;
      fired.add(w);
      w.notify(event);
    };
    const { type, path } = event;
    if (type !== EventType.NodeChildrenChanged) this.take('data', path).forEach(fire);
    if (type === EventType.NodeChildrenChanged || type === EventType.NodeDeleted) this.take('child', path).forEach(fire);
    this.byKind.persistent.get(path)?.forEach(fire);
    if (type !== EventType.NodeChildrenChanged) {
      for (const p of selfAndAncestors(path)) this.byKind.recursive.get(p)?.forEach(fire);
    }
  }

  /** removeWatches/checkWatches by WatcherType; whether any matching watch was there. */
  remove(watcher: Watcher, path: string, type: number, dryRun: boolean): boolean {
    const kinds: Kind[] =
      type === WatcherType.Children
        ? ['child']
        : type === WatcherType.Data
          ? ['data']
          : type === WatcherType.Persistent
            ? ['persistent']
            : type === WatcherType.PersistentRecursive
              ? ['recursive']
              : [...KINDS];
    let found = false;
    for (const kind of kinds) {
      if (!this.byKind[kind].get(path)?.has(watcher)) continue;
      found = true;
      if (!dryRun) this.delete(kind, path, watcher);
    }
    return found;
  }

  removeAll(watcher: Watcher): void {
    const mine = this.byWatcher.get(watcher);
    if (!mine) return;
    for (const kind of KINDS) for (const path of mine[kind]) this.delete(kind, path, watcher);
    this.byWatcher.delete(watcher);
  }

  get count(): number {
    let n = 0;
    for (const kind of KINDS) for (const set of this.byKind[kind].values()) n += set.size;
    return n;
  }

  private take(kind: 'data' | 'child', path: string): Set<Watcher> {
    const set = this.byKind[kind].get(path);
    if (!set) return new Set();
    this.byKind[kind].delete(path);
    for (const w of set) this.byWatcher.get(w)?.[kind].delete(path);
    return set;
  }

  private delete(kind: Kind, path: string, watcher: Watcher): void {
    const set = this.byKind[kind].get(path);
    set?.delete(watcher);
    if (set?.size === 0) this.byKind[kind].delete(path);
    this.byWatcher.get(watcher)?.[kind].delete(path);
  }
}
