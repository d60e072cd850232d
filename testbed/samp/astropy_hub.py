#!/usr/bin/python3
"""Run astropy's SAMPHubServer on a private lockfile, for interop tests.

    /usr/bin/python3 astropy_hub.py LOCKFILE [--web]

Standard Profile; with --web also the Web Profile on localhost:21012, accepting every
registration (without a dialog object astropy asks on the terminal with input() and blocks
headless). Prints "READY <xmlrpc url>" once the hub answers; stops cleanly on SIGTERM/SIGINT
(astropy's own samp_hub leaves its lockfile behind on SIGTERM).
"""
import signal
import sys
import threading
import time

from astropy.samp import SAMPHubServer


class AcceptAll:
    """astropy's web_profile_dialog protocol: the hub sets queue_request/queue_result."""

    queue_request = None
    queue_result = None

    def run(self):
        while True:
            if self.queue_request is not None:
                self.queue_request.get()
                self.queue_result.put(True)
            else:
                time.sleep(0.05)


lockfile = sys.argv[1]
web = "--web" in sys.argv[2:]
dialog = AcceptAll() if web else None
hub = SAMPHubServer(lockfile=lockfile, web_profile=web, web_profile_dialog=dialog, addr="127.0.0.1")
if dialog is not None:
    threading.Thread(target=dialog.run, daemon=True).start()
hub.start(wait=False)
print("READY", hub._url, flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
while not stop.wait(0.2):
    pass
hub.stop()
