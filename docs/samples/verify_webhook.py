#!/usr/bin/python3
"""Sample receiver of PopInfo exchange webhooks (docs/exchange.md#webhooks). Standard library only.

verify(secret, headers, body) checks a delivery as the Standard Webhooks specification says:

    webhook-signature = "v1," + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}"))
    key = base64-decode(secret without its "whsec_" prefix)

and refuses timestamps more than `tolerance` seconds (default 300) from now.

Run as a tiny receiver (answers 204 to a valid delivery, 401 to an invalid one; a webhook-id it has
already seen is answered 204 again without being processed twice — replay protection):

    verify_webhook.py --secret whsec_... --port 8080 [--host 127.0.0.1]
"""
import argparse
import base64
import binascii
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET_PREFIX = "whsec_"


class WebhookVerificationError(Exception):
    pass


def _header(headers, name):
    """Case-insensitive header lookup in a dict or an http.client/email Message."""
    if hasattr(headers, "get_all"):
        values = headers.get_all(name) or []
        return values[0] if values else None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _key(secret):
    if secret.startswith(SECRET_PREFIX):
        secret = secret[len(SECRET_PREFIX):]
    try:
        return base64.b64decode(secret, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the secret is not whsec_ followed by base64") from None


def sign(secret, webhook_id, timestamp, body):
    """The v1 signature (without the "v1," prefix) of body for this id and timestamp."""
    message = f"{webhook_id}.{timestamp}.".encode("utf-8") + body
    return base64.b64encode(hmac.new(_key(secret), message, hashlib.sha256).digest()).decode("ascii")


def verify(secret, headers, body, tolerance=300, now=None):
    """Checks a webhook delivery. `headers`: a mapping (any case); `body`: the raw request bytes.

    Returns the webhook-id on success; raises WebhookVerificationError otherwise.
    Does not remember ids: replay protection (ids seen in the last `tolerance` seconds) is the
    caller's, see SeenIds below.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    webhook_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not webhook_id or not timestamp or not signatures:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not an integer") from None
    now = int(time.time()) if now is None else int(now)
    if abs(now - sent_at) > tolerance:
        raise WebhookVerificationError("webhook-timestamp is too old or too new")

    expected = sign(secret, webhook_id, timestamp, body).encode("ascii")
    for candidate in signatures.split(" "):          # several signatures may be sent, space-separated
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode("ascii", "replace"), expected):
            return webhook_id
    raise WebhookVerificationError("no matching signature")


class SeenIds:
    """webhook-ids seen in the last `keep` seconds (at least the timestamp tolerance). A real
    receiver keeps them with the stored events, e.g. a unique key on the event id."""

    def __init__(self, keep=600):
        self.keep, self.ids, self.lock = keep, {}, threading.Lock()

    def add(self, webhook_id):
        """Returns False if the id was already seen."""
        with self.lock:
            now = time.monotonic()
            for old in [i for i, t in self.ids.items() if now - t > self.keep]:
                del self.ids[old]
            if webhook_id in self.ids:
                return False
            self.ids[webhook_id] = now
            return True

    def forget(self, webhook_id):
        """For a delivery that could not be stored: its retry must be processed."""
        with self.lock:
            self.ids.pop(webhook_id, None)


def make_handler(secret, seen, store):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            try:
                webhook_id = verify(secret, self.headers, body)
            except WebhookVerificationError as error:
                print(f"401 {self.headers.get('webhook-id')!r}: {error}", file=sys.stderr, flush=True)
                self._answer(401)
                return
            if not seen.add(webhook_id):
                print(f"204 {webhook_id}: repeat, not processed again", flush=True)
                self._answer(204)
                return
            try:
                store(webhook_id, body)                  # answer 2xx only after storing
            except Exception as error:                   # noqa: BLE001 - a sample: any failure is a 500
                print(f"500 {webhook_id}: {error!r}", file=sys.stderr, flush=True)
                seen.forget(webhook_id)
                self._answer(500)                        # the exchange retries
                return
            self._answer(204)

        def _answer(self, status):
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):                    # quiet: our own lines above say enough
            pass

    return Handler


def print_summary(webhook_id, body):
    """The sample's "store": prints ids, type and field names only — never names or identity numbers."""
    event = json.loads(body)
    person = event.get("data", {}).get("person", {})
    print(f"204 {webhook_id} {event.get('sequence')} {event.get('type')} subject={event.get('subject')} "
          f"fields={','.join(sorted(k for k in person if k != 'personId')) or '-'}", flush=True)


def main():
    parser = argparse.ArgumentParser(description="Receive and verify PopInfo exchange webhooks.")
    parser.add_argument("--secret", required=True, help="the department's webhook secret, whsec_...")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    try:
        _key(args.secret)
    except ValueError as error:
        parser.error(str(error))
    server = ThreadingHTTPServer((args.host, args.port), make_handler(args.secret, SeenIds(), print_summary))
    print(f"listening on http://{args.host}:{args.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
