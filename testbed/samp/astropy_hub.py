#!/usr/bin/python3
"""Run astropy's SAMPHubServer on a private lockfile, for interop tests.

    /usr/bin/python3 astropy_hub.py LOCKFILE

Standard Profile only (astropy's Web Profile asks for consent on the terminal and would block
headless). Prints "READY <xmlrpc url>" once the hub answers; stops cleanly on SIGTERM/SIGINT
(astropy's own samp_hub leaves its lockfile behind on SIGTERM).
"""
import signal
import sys
import threading

from astropy.samp import SAMPHubServer

lockfile = sys.argv[1]
hub = SAMPHubServer(lockfile=lockfile, web_profile=False, addr="127.0.0.1")
hub.start(wait=False)
print("READY", hub._url, flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
while not stop.wait(0.2):
    pass
hub.stop()
