#!/usr/bin/env python3
"""A real SMTP server for ferd's mail tests (Python's aiosmtpd), on a free port of 127.0.0.1.

Each message it receives is written to DIR as <n>.eml (the DATA content as sent) and <n>.json (the envelope: sender
and recipients), before the server answers the end of the data. It prints "READY <port>" on a line of its own once
it listens.

  --hold         never answer the end of the data: the server holds the message, as a slow or stuck server would,
                 so a test can kill the sender mid-send. A file DIR/held-<n> says the message arrived.
  --refuse N     answer the first N RCPT commands with 451 (try again later), then accept.
  --auth U:P     require AUTH PLAIN/LOGIN with this user and password (over the plain connection: tests only).

Usage: python3 tests/smtp/server.py DIR [--hold] [--refuse N] [--auth user:password]
"""

import argparse
import asyncio
import json
import logging
import os
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult


class Handler:
    def __init__(self, folder, hold, refuse):
        self.folder = folder
        self.hold = hold
        self.refuse = refuse
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        n = self.count
        base = os.path.join(self.folder, str(n))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(base + ".eml.tmp", base + ".eml")
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        if self.hold:
            open(os.path.join(self.folder, "held-%d" % n), "w").close()
            await asyncio.sleep(3600)
        return "250 2.0.0 Accepted"


def main():
    # AUTH without TLS is what the --auth tests want, on 127.0.0.1 only.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--hold", action="store_true")
    p.add_argument("--refuse", type=int, default=0)
    p.add_argument("--auth")
    a = p.parse_args()
    os.makedirs(a.folder, exist_ok=True)
    handler = Handler(a.folder, a.hold, a.refuse)
    user, _, password = (a.auth or "").partition(":")

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        # handled=False: aiosmtpd itself answers a failure with 535.
        return AuthResult(success=ok, handled=False)

    def factory():
        if a.auth:
            return SMTP(handler, enable_SMTPUTF8=True, authenticator=authenticator,
                        auth_required=True, auth_require_tls=False)
        return SMTP(handler, enable_SMTPUTF8=True)

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, host="127.0.0.1", port=0)
        port = server.sockets[0].getsockname()[1]
        print("READY %d" % port, flush=True)
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
