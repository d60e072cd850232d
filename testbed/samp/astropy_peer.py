#!/usr/bin/python3
"""A scripted astropy SAMP client (SAMPIntegratedClient), the interop peer of our client.

    /usr/bin/python3 astropy_peer.py LOCKFILE TARGET_NAME

Registers as "astropy-peer"; answers table.load.votable calls by reading the table with
astropy (reply: {"rows": N, "columns": "a,b"}); prints every coord.pointAt.sky notification;
calls the client named TARGET_NAME with test.echo by callAndWait; exits when stdin closes.
Output: one JSON object per line on stdout ({"event": ...}).
"""
import json
import sys
import time

from astropy.samp import SAMPIntegratedClient
from astropy.samp.lockfile_helpers import read_lockfile
from astropy.table import Table


def emit(**kw):
    print(json.dumps(kw), flush=True)


lockfile, target_name = sys.argv[1], sys.argv[2]
client = SAMPIntegratedClient(name="astropy-peer", description="astropy interop peer")
client.connect(hub_params=read_lockfile(lockfile))


def on_load(private_key, sender_id, msg_id, mtype, params, extra):
    try:
        table = Table.read(params["url"], format="votable")
        result = {"rows": str(len(table)), "columns": ",".join(table.colnames), "first": str(table[table.colnames[0]][0])}
        client.reply(msg_id, {"samp.status": "samp.ok", "samp.result": result})
    except Exception as e:  # reply with the error so the test sees it
        client.reply(msg_id, {"samp.status": "samp.error", "samp.error": {"samp.errortxt": repr(e)}})


def on_point(private_key, sender_id, mtype, params, extra):
    emit(event="notification", sender=sender_id, mtype=mtype, params=params)


client.bind_receive_call("table.load.votable", on_load)
client.bind_receive_notification("coord.pointAt.sky", on_point)
emit(event="ready", id=client.get_public_id())

target = None
for _ in range(200):
    for cid in client.get_registered_clients():
        if client.get_metadata(cid).get("samp.name") == target_name:
            target = cid
    if target:
        break
    time.sleep(0.05)
if target is None:
    emit(event="error", text="target not found")
else:
    response = client.ecall_and_wait(target, "test.echo", "10", text="h\u00e9llo <&>", items=["1", ["2", "3"]])
    emit(event="echo", response=response)

sys.stdin.read()
client.disconnect()
emit(event="bye")
