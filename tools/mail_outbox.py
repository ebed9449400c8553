"""A mail server for the demo: it keeps every mail as a file and sends none.

    python tools/mail_outbox.py --port 8025 --folder instance/var/outbox

`make start` runs it beside Plone, and the demo site mails through it, so
the confirmation (with the order's secret link), the state mails and the
links can be read without a real mail server: each mail is an .eml file in
the folder, and its recipients, subject and links are printed as it comes.
NOT for production: nothing leaves the machine.
"""

from aiosmtpd.controller import Controller
from email import message_from_bytes
from email import policy
from pathlib import Path

import argparse
import re
import secrets
import signal
import time


LINK = re.compile(r"https?://[^\s<>\"]+")


def readable_text(message) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return body.get_content() if body is not None else ""


class Outbox:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"{stamp}-{secrets.token_hex(3)}.eml"
        path.write_bytes(envelope.content)
        message = message_from_bytes(envelope.content, policy=policy.default)
        lines = [
            f"Mail to {', '.join(envelope.rcpt_tos)}: {message['Subject']}",
            f"  {path}",
            *(f"  {link}" for link in LINK.findall(readable_text(message))),
        ]
        print("\n".join(lines), flush=True)
        return "250 Kept in the outbox"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--folder", type=Path, default=Path("outbox"))
    args = parser.parse_args()
    server = Controller(Outbox(args.folder), hostname="127.0.0.1", port=args.port)
    server.start()
    print(f"Demo outbox on port {args.port}: mails go to {args.folder}", flush=True)

    def stop(*_signal):
        server.stop()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
