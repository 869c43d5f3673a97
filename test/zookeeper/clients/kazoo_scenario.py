"""Drives a ZooKeeper server with kazoo and prints one JSON object of observations."""
import json
import sys
import threading

from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, NoAuthError, NodeExistsError, NotEmptyError, NoNodeError, RolledBackError, RuntimeInconsistency
from kazoo.security import make_acl, make_digest_acl

hosts = sys.argv[1]
out = {}


def client():
    zk = KazooClient(hosts=hosts, timeout=10)
    zk.start(timeout=10)
    return zk


zk = client()
zk.create('/app', b'v1')
out['get'] = zk.get('/app')[0].decode()
zk.create('/app/child', b'c')
out['children'] = sorted(zk.get_children('/app'))
stat = zk.set('/app', b'v2')
out['version_after_set'] = stat.version
try:
    zk.set('/app', b'v3', version=0)
except BadVersionError:
    out['bad_version'] = True
try:
    zk.delete('/app')
except NotEmptyError:
    out['not_empty'] = True
try:
    zk.create('/app')
except NodeExistsError:
    out['node_exists'] = True

seq = [zk.create('/app/job-', sequence=True) for _ in range(3)]
out['sequential'] = seq

# One-shot data watch: two changes, one event.
events = []
fired = threading.Event()
def on_change(event):
    events.append([event.type, event.path])
    fired.set()
zk.get('/app/child', watch=on_change)
zk.set('/app/child', b'x')
zk.set('/app/child', b'y')
fired.wait(5)
zk.sync('/app')
child_events = []
child_fired = threading.Event()
def on_children(event):
    child_events.append([event.type, event.path])
    child_fired.set()
zk.get_children('/app', watch=on_children)
zk.create('/app/new')
child_fired.wait(5)
zk.sync('/app')
out['data_events'] = events
out['child_events'] = child_events

# multi: all or nothing.
t = zk.transaction()
t.create('/app/m1')
t.check('/app', 99)
t.create('/app/m2')
results = t.commit()
out['multi_failed'] = [type(r).__name__ for r in results]
out['multi_left_nothing'] = zk.exists('/app/m1') is None
t = zk.transaction()
t.create('/app/m1', b'1')
t.set_data('/app', b'v3')
t.delete('/app/new')
out['multi_ok'] = [r if isinstance(r, str) else type(r).__name__ for r in t.commit()]

# Ephemeral node goes with its session.
other = client()
other.create('/app/eph', ephemeral=True)
out['eph_exists'] = zk.exists('/app/eph') is not None
other.stop()
other.close()
out['eph_after_close'] = zk.exists('/app/eph') is not None

# ACL: digest-protected node denies an unauthenticated client.
owner = client()
owner.add_auth('digest', 'alice:secret')
owner.create('/secure', b's', acl=[make_digest_acl('alice', 'secret', all=True)])
try:
    zk.get('/secure')
except NoAuthError:
    out['acl_denied'] = True
out['acl_owner_reads'] = owner.get('/secure')[0].decode()
out['acl_seen_by_others'] = [a.id.id for a in owner.get_acls('/secure')[0]]
owner.stop()
owner.close()

zk.stop()
zk.close()
print(json.dumps(out))
