#!/usr/bin/env python3
"""A tiny provider for the pacts written by write_pacts.py.

Usage: provider.py PORT [--host HOST] [--break WHAT]

Standard library only (http.server, threaded). Answers every interaction of
the pact-python reference pacts (tests/data/pact-python/) so that

    pact verifier --hostname 127.0.0.1 --port PORT \
        --state-change-url http://127.0.0.1:PORT/_pact/state \
        --dir tests/data/pact-python

passes. Endpoints beyond the HTTP interactions:

  POST /_pact/state     provider-state change: JSON {"state", "params", "action"}
                        (action "setup" or "teardown"), or the same as query
                        parameters (--state-change-as-query). Answers 200 with
                        a JSON object of values for provider-state generators.
  POST /                message verification. For every message interaction
                        (V3 message, V4 async or sync message) the verifier
                        POSTs JSON {"description", "providerStates"} (plus
                        "request" for a sync message) to the provider's base
                        path. Answers with the message body, its Content-Type,
                        and the metadata as base64 JSON in the
                        Pact-Message-Metadata header; for a sync message, the
                        response message. (/_pact/message is an alias.)
  GET /_pact/states     the provider-state calls received so far (debugging).

--break WHAT makes one answer wrong, to check that the verifier then fails:
  user-name   "name" of a user is a number (type matcher fails)
  status      GET /greeting answers 500
  message     the order-created event has a string orderId
  pending     GET /health answers a status the pact does not allow; that
              interaction is pending in the V4 pact, so the verifier still
              passes (exit 0) and only reports it
  state       the state-change endpoint answers 400 (a 5xx makes the verifier
              retry each state change for about two minutes)

Port 0 picks a free port; the port actually bound is printed on stdout as
"listening on HOST:PORT" once the server accepts connections.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# 1x1 transparent PNG, the same bytes as write_pacts.LOGO_PNG.
LOGO_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

BREAK: str | None = None


class State:
    """Provider data, changed by provider-state calls."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users: dict[int, str] = {}
        self.items: dict[int, str] = {}
        self.accounts: set[int] = set()
        self.orders: set[int] = set()
        self.log: list[dict] = []

    def change(self, state: str, params: dict, action: str) -> dict:
        """Apply a provider state; return values for provider-state generators."""
        setup = action != "teardown"
        with self.lock:
            self.log.append({"state": state, "params": params, "action": action})
            if state == "a user exists":
                uid = int(params.get("id", 42))
                if setup:
                    self.users[uid] = str(params.get("name", "Alice"))
                else:
                    self.users.pop(uid, None)
                return {"id": uid}
            if state == "no user exists":
                self.users.pop(int(params.get("id", 0)), None)
                return {}
            if state == "an account exists":
                # Deliberately not the example id: the verifier must take the
                # path from this answer (ProviderState generator).
                acc = int(params.get("accountId", 77)) + 1000
                if setup:
                    self.accounts.add(acc)
                else:
                    self.accounts.discard(acc)
                return {"accountId": acc}
            if state == "an order exists":
                oid = int(params.get("orderId", 5))
                (self.orders.add if setup else self.orders.discard)(oid)
                return {"orderId": oid}
            if state == "an item exists":
                iid = int(params.get("id", 1001))
                if setup:
                    self.items[iid] = "Widget"
                else:
                    self.items.pop(iid, None)
                return {"id": iid}
            if state == "no items exist":
                if setup:
                    self.items.clear()
                return {}
            # "the user has addresses", "items exist", "a product exists", ...:
            # nothing to do, the data below always has them.
            return {}


STATE = State()


def user_json(uid: int, name: str) -> dict:
    # Values differ from the pact examples wherever a matcher allows it.
    return {
        "id": uid,
        "name": 12345 if BREAK == "user-name" else name + " Smith",
        "email": "alice.smith@example.org",
        "balance": 99.25,
        "score": 8.5,
        "active": False,
        "birthday": "1985-12-01",
        "wakeUp": "06:05:04",
        "createdAt": "2023-07-04T08:09:10+0200",
        "lastSeen": "03/02/2024 23:59",
        "bio": "Writes treaty contract tests.",
        "nickname": None,
        "externalId": "0b7e5f1c-2d3a-4b6c-8e9f-a0b1c2d3e4f5",
        "status": "SUSPENDED",
        "tags": ["admin", "ops", "dev"],
        "groups": ["staff", "ops", "oncall"],
        "addresses": [
            {"street": "2 High St", "zip": "54321", "primary": True},
            {"street": "3 Low Rd", "zip": "99999", "primary": False},
        ],
        "preferences": {"theme": "light", "language": "fr"},
        "plain": {"fixed": "exact value", "count": 3},
        # V4-only fields (ignored by the V3 pact: extra keys are allowed).
        "attributes": {"colour": "blue", "shape": "round", "weight": "heavy"},
        "limits": {"daily": 5, "weekly": 35},
        "roles": ["admin", "writer", "auditor", "reader"],
        "version": "2.10.0-rc.1",
        "displayName": "Alice S.",
        # "values" ignores the keys; each value is still compared to the pact's
        # (by equality, no other rule applies): an extra key must hold 3.
        "counters": {"logins": 3, "posts": 7, "shares": 3},
        "kind": "person",
    }


def order_xml(oid: int) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<order status="shipped"><id>{oid}</id>'
        f'<line currency="EUR"><sku>SKU-42</sku><qty>7</qty></line>'
        f'<line currency="EUR"><sku>SKU-7</sku><qty>1</qty></line>'
        f'<line currency="EUR"><sku>SKU-8</sku><qty>3</qty></line>'
        f"</order>"
    ).encode()


def message_for(description: str, request: dict | None) -> tuple[object, str, dict]:
    """(body, content type, metadata) of the message with this description."""
    if description == "an order created event":
        body = {
            "event": "OrderCreated",
            "orderId": "seven" if BREAK == "message" else 7,
            "status": "closed",
            "total": 12.5,
            "placedAt": "2024-03-04T05:06:07+0000",
            "lines": [{"sku": "SKU-9", "qty": 1}, {"sku": "SKU-10", "qty": 4}],
        }
        return body, "application/json", {"topic": "orders", "partition": 11}
    if description == "a plain text audit message":
        return "order 5 created", "text/plain", {"topic": "audit"}
    if description == "a price quote request":
        req = request or {}
        sku = str(req.get("sku", "SKU-1"))
        qty = int(req.get("qty", 1))
        return (
            {"sku": sku, "unitPrice": 20.25, "total": round(20.25 * qty, 2)},
            "application/json",
            {},
        )
    raise KeyError(description)


class Handler(BaseHTTPRequestHandler):
    server_version = "treaty-interop-provider/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)

    # -- helpers ---------------------------------------------------------

    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(
        self,
        status: int,
        body: bytes | str | dict | list | None = None,
        content_type: str | None = None,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            content_type = content_type or "application/json"
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = body or b""
        self.send_response(status)
        if content_type and status != 204:
            self.send_header("Content-Type", content_type)
        for k, v in headers or []:
            self.send_header(k, v)
        if status != 204:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status != 204 and self.command != "HEAD":
            self.wfile.write(data)

    def _not_found(self) -> None:
        self._send(404, {"error": "not found", "code": 404})

    # -- routes -------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        if url.path == "/greeting":
            if BREAK == "status":
                self._send(500, "boom", "text/plain")
            else:
                self._send(200, "Hello, treaty!\n", "text/plain; charset=utf-8")
        elif url.path == "/health":
            self._send(200, {"status": "SICK" if BREAK == "pending" else "UP"})
        elif url.path == "/logo.png":
            self._send(200, LOGO_PNG, "image/png")
        elif url.path == "/items":
            q = parse_qs(url.query, keep_blank_values=True)
            tags = q.get("tag", [])
            limit = int((q.get("limit") or ["10"])[0])
            items = [
                {"id": 3, "name": "Blue widget", "price": 4.5, "tags": ["blue", "small"]},
                {"id": 4, "name": "Red widget", "price": 5.75, "tags": ["red"]},
            ]
            items = [i for i in items if not tags or set(tags) & set(i["tags"])]
            items = items[:limit]
            self._send(200, {"items": items, "total": len(items), "next": None})
        elif len(parts) == 2 and parts[0] == "users" and parts[1].isdigit():
            uid = int(parts[1])
            name = STATE.users.get(uid)
            if name is None:
                self._not_found()
            else:
                self._send(
                    200, user_json(uid, name), headers=[("X-Rate-Limit-Remaining", "41")]
                )
        elif len(parts) == 2 and parts[0] == "accounts" and parts[1].isdigit():
            acc = int(parts[1])
            if acc in STATE.accounts:
                self._send(200, {"accountId": acc, "currency": "GBP"})
            else:
                self._not_found()
        elif len(parts) == 2 and parts[0] == "orders" and parts[1].isdigit():
            oid = int(parts[1])
            if oid in STATE.orders:
                self._send(200, order_xml(oid), "application/xml")
            else:
                self._not_found()
        elif url.path == "/_pact/states":
            with STATE.lock:
                self._send(200, list(STATE.log))
        else:
            self._not_found()

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        raw = self._body()
        if url.path == "/_pact/state":
            if BREAK == "state":
                self._send(400, {"error": "state change broken"})
                return
            if raw:
                doc = json.loads(raw)
            else:
                # --state-change-as-query: state, action and each param are
                # query parameters (params as strings).
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                doc = {
                    "state": q.pop("state", ""),
                    "action": q.pop("action", "setup"),
                    "params": q,
                }
            values = STATE.change(
                str(doc.get("state", "")),
                doc.get("params") or {},
                str(doc.get("action", "setup")),
            )
            self._send(200, values)
        elif url.path in ("/", "/_pact/message"):
            doc = json.loads(raw or b"{}")
            description = str(doc.get("description", ""))
            try:
                body, ctype, metadata = message_for(description, _request_contents(doc))
            except KeyError:
                self._send(404, {"error": f"no message {description!r}"})
                return
            meta = base64.b64encode(json.dumps(metadata).encode()).decode()
            self._send(
                200,
                json.dumps(body).encode() if ctype == "application/json" else body,
                ctype,
                headers=[("Pact-Message-Metadata", meta)],
            )
        elif url.path == "/items":
            try:
                doc = json.loads(raw)
                name = str(doc["name"])
                float(doc["price"])
                int(doc["quantity"])
            except (ValueError, KeyError, TypeError):
                self._send(400, {"error": "bad item"})
                return
            with STATE.lock:
                iid = max([2000, *STATE.items]) + 1
                STATE.items[iid] = name
            self._send(201, {"id": iid, "name": name}, headers=[("Location", f"/items/{iid}")])
        else:
            self._not_found()

    def do_DELETE(self) -> None:  # noqa: N802
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        if len(parts) == 2 and parts[0] == "items" and parts[1].isdigit():
            with STATE.lock:
                found = STATE.items.pop(int(parts[1]), None)
            if found is None:
                self._not_found()
            else:
                self._send(204)
        else:
            self._not_found()


def _request_contents(doc: dict) -> dict | None:
    """The request message of a synchronous message, as the verifier sends it.

    For a V4 synchronous message the verifier adds the pact's request part:
    {"request": {"contents": {"content": ..., "contentType": ..., "encoded": ...},
    "metadata": ..., "matchingRules": ...}}.
    """
    contents = (doc.get("request") or {}).get("contents") or {}
    content = contents.get("content")
    if isinstance(content, str) and contents.get("encoded") is False:
        try:
            content = json.loads(content)
        except ValueError:
            return None
    return content if isinstance(content, dict) else None


def main(argv: list[str]) -> int:
    global BREAK
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("port", type=int)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--break", dest="brk", choices=["user-name", "status", "message", "state", "pending"])
    ap.add_argument("-v", "--verbose", action="store_true", help="log each request")
    args = ap.parse_args(argv[1:])
    BREAK = args.brk
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.verbose = args.verbose  # type: ignore[attr-defined]
    host, port = server.server_address[:2]
    print(f"listening on {host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
