"""A Hoursmith webhook receiver in Python (standard library only): verifies Hoursmith-Signature,
rejects stale or tampered deliveries, and handles each event id once.

    WEBHOOK_SECRET=wsk_... PORT=8788 python3 receiver.py
"""
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def verify_signature(secret: str, header: str | None, raw_body: bytes, now: float | None = None) -> bool:
    """True when header ("t=...,v1=...") signs raw_body (bytes, exactly as received) with secret, and t is fresh."""
    if not header:
        return False
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    now = time.time() if now is None else now
    if timestamp is None or abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()
    # Constant-time: a comparison that stops at the first difference tells an attacker how much matched.
    return any(hmac.compare_digest(expected, s) for s in signatures)


# Event ids already handled. Keep them in your database (a unique key) so restarts and several
# receiver instances agree; Hoursmith sends the same id on every retry and replay.
seen: set[str] = set()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))  # the raw bytes, not re-serialized JSON
        if not verify_signature(SECRET, self.headers.get("Hoursmith-Signature"), raw):
            return self.answer(400, "invalid signature")
        event = json.loads(raw)
        if event["id"] in seen:
            return self.answer(200, "duplicate")
        seen.add(event["id"])
        # Handle the event here (quickly: answer within 10 s, queue slow work).
        print(json.dumps({"accepted": event["id"], "type": event["type"], "livemode": event["livemode"]}, separators=(",", ":")), flush=True)
        return self.answer(200, "ok")

    def answer(self, status: int, text: str):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        # This server closes the connection after each answer (HTTP/1.0); saying so keeps a client
        # that pools connections (Hoursmith's sender among them) from sending the next one on it.
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    SECRET = os.environ.get("WEBHOOK_SECRET") or sys.exit("Set WEBHOOK_SECRET to the endpoint's signing secret (wsk_...).")
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8788"))), Receiver)
    print("listening", flush=True)
    server.serve_forever()
