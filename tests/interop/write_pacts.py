#!/usr/bin/env python3
"""Write reference consumer pacts with pact-python, for treaty's interop tests.

Usage: write_pacts.py OUTDIR

Writes, into OUTDIR (created if missing, existing files of the same names are
overwritten):

  pact-python-v3-consumer-treaty-interop-provider.json          V3, HTTP
  pact-python-v3-message-consumer-treaty-interop-provider.json  V3, async messages
  pact-python-v4-consumer-treaty-interop-provider.json          V4, HTTP + async + sync

and prints the path of each file written, one per line.

The HTTP interactions are exercised for real against pact-python's mock server
(a consumer test, so the mock server must be fully matched before a file is
written); the message interactions are fed to a consumer handler through
`Pact.verify`. tests/interop/provider.py is the provider that satisfies all of
them under `pact verifier`: keep the two files in step.

Run with the venv made by scripts/python-env.sh (pact-python 4.2.0; the API is
`from pact import Pact, match, generate, xml`). PACT_DO_NOT_TRACK is forced.
WRITE_PACTS_DEBUG=1 prints every exchange with the mock server.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

os.environ["PACT_DO_NOT_TRACK"] = "true"
DEBUG = bool(os.environ.get("WRITE_PACTS_DEBUG"))  # prints each mock-server exchange
# Keep the FFI quiet unless something is wrong; must be set before the first Pact.
logging.basicConfig(level=logging.WARNING)
logging.getLogger("pact.ffi").setLevel(logging.INFO if DEBUG else logging.ERROR)

from pact import Pact, generate, match, xml  # noqa: E402
from pact.match.matcher import AndMatcher, GenericMatcher  # noqa: E402

PROVIDER = "treaty-interop-provider"
CONSUMER_V3 = "pact-python-v3-consumer"
CONSUMER_V3_MESSAGES = "pact-python-v3-message-consumer"
CONSUMER_V4 = "pact-python-v4-consumer"

USER_ID_RE = r"^/users/\d+$"
UUID_EXAMPLE = "6f1c2e4a-8b3d-4c5e-9f70-1a2b3c4d5e6f"
# A 1x1 transparent PNG; provider.py serves the same bytes.
LOGO_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class AndWithExample(AndMatcher):
    """`matcher & matcher`, keeping the example value.

    pact-python 4.2.0's AndMatcher leaves "value" out of its integration JSON,
    so the FFI writes `null` as the example (and the provider then fails the
    `type` half). This adds the value back.
    """

    def to_integration_json(self) -> dict[str, Any]:
        return {**super().to_integration_json(), "value": self._value}


@dataclass
class Call:
    """One real HTTP request that the consumer makes against the mock server."""

    method: str
    path: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    expect_status: int = 200
    check: Callable[[int, dict[str, str], bytes], None] | None = None


# --------------------------------------------------------------------------
# HTTP interactions (shared by V3 and V4; v4=True adds V4-only matchers)
# --------------------------------------------------------------------------


def user_body(v4: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": match.int(42),
        "name": match.str("Alice"),
        "email": match.regex("alice@example.com", regex=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"),
        "balance": match.decimal(1234.56),
        "score": match.number(7),
        "active": match.bool(True),
        "birthday": match.date("1990-05-17", "%Y-%m-%d"),
        "wakeUp": match.time("07:30:00", "%H:%M:%S"),
        "createdAt": match.datetime("2024-01-15T10:30:00+0000", "%Y-%m-%dT%H:%M:%S%z"),
        "lastSeen": match.datetime(
            "15/01/2024 10:30", "dd/MM/yyyy HH:mm", disable_conversion=True
        ),
        "bio": match.includes("treaty"),
        "nickname": match.null(),
        "externalId": match.uuid(UUID_EXAMPLE),
        "status": AndWithExample(
            match.str("ACTIVE"), match.regex("ACTIVE", regex=r"^[A-Z]+$")
        ),
        # each_like(min=2) with a single example item: pact-python does not
        # expand the example to `min` items.
        "tags": match.each_like(match.str("admin"), min=2),
        "groups": match.like(["staff", "ops"], min=2, max=10),
        "addresses": match.each_like(
            {
                "street": match.str("1 Main St"),
                "zip": match.regex("12345", regex=r"^\d{5}$"),
                "primary": match.bool(True),
            },
            min=1,
            max=5,
        ),
        "preferences": match.like({"theme": "dark", "language": "en"}),
        "plain": {"fixed": "exact value", "count": 3},
    }
    if v4:
        body["attributes"] = match.each_key_matches(
            {"colour": "red", "size": "large"},
            rules=match.regex("colour", regex=r"^[a-z]+$"),
        )
        body["limits"] = match.each_value_matches(
            {"daily": 100, "monthly": 3000}, rules=match.int(100)
        )
        body["roles"] = match.array_containing([match.str("reader"), "writer"])
        # Core matchers that pact-python's `match` module has no function for,
        # built with GenericMatcher (the FFI accepts any core matcher type).
        body["version"] = GenericMatcher("semver", "1.2.3")
        body["displayName"] = GenericMatcher("notEmpty", "Al")
        body["counters"] = GenericMatcher("values", {"logins": 3, "posts": 7})
        body["kind"] = GenericMatcher("equality", "person")
    return body


def add_http(pact: Pact, v4: bool) -> list[Call]:
    calls: list[Call] = []

    # 1. GET with two provider states (one with params), path regex, request
    #    header matchers, response header matchers and a rich JSON body.
    (
        pact.upon_receiving("a request for an existing user")
        .given("a user exists", {"id": 42, "name": "Alice"})
        .given("the user has addresses", count=1)
        .with_request("GET", match.regex("/users/42", regex=USER_ID_RE))
        .with_header("Accept", "application/json")
        .with_header(
            "X-Request-Id",
            match.regex(UUID_EXAMPLE, regex=r"^[0-9a-f-]{36}$"),
        )
        .will_respond_with(200)
        .with_header("Content-Type", "application/json")
        .with_header("X-Rate-Limit-Remaining", match.regex("99", regex=r"^\d+$"))
        .with_body(user_body(v4), content_type="application/json")
    )

    def check_user(status: int, headers: dict[str, str], body: bytes) -> None:
        doc = json.loads(body)
        assert doc["id"] == 42 and doc["name"] == "Alice", doc
        assert len(doc["groups"]) == 2, doc["groups"]

    calls.append(
        Call(
            "GET",
            "/users/42",
            [("Accept", "application/json"), ("X-Request-Id", UUID_EXAMPLE)],
            check=check_user,
        )
    )

    # 2. Query with repeated values and a query matcher; repeated request header.
    (
        pact.upon_receiving("a search for items by tag")
        .given("items exist")
        .with_request("GET", "/items")
        .with_query_parameter("tag", "red")
        .with_query_parameter("tag", "blue")
        .with_query_parameter("limit", match.regex("10", regex=r"^\d+$"))
        .with_query_parameter("q", "big widget")
        .with_header("Accept", "application/json")
        .with_header("Accept-Language", "en")
        .with_header("Accept-Language", "fr")
        .will_respond_with(200)
        .with_header("Content-Type", "application/json")
        .with_body(
            {
                "items": match.each_like(
                    {
                        "id": match.int(1),
                        "name": match.str("Red widget"),
                        "price": match.decimal(9.99),
                        "tags": match.each_like("red"),
                    },
                    min=1,
                ),
                "total": match.int(1),
                "next": None,
            },
            content_type="application/json",
        )
    )
    calls.append(
        Call(
            "GET",
            "/items?tag=red&tag=blue&limit=10&q=big+widget",
            [
                ("Accept", "application/json"),
                ("Accept-Language", "en"),
                ("Accept-Language", "fr"),
            ],
        )
    )

    # 3. POST with a JSON request body with matchers; Location header regex.
    interaction = (
        pact.upon_receiving("a request to create an item")
        .given("no items exist")
        .with_request("POST", "/items")
        .with_header("Content-Type", "application/json")
        .with_body(
            {
                "name": match.str("Widget"),
                "price": match.decimal(19.5),
                "quantity": match.int(3),
                "tags": ["new", "sale"],
            },
            content_type="application/json",
        )
        .will_respond_with(201)
        .with_header("Location", match.regex("/items/1001", regex=r"^/items/\d+$"))
        .with_header("Content-Type", "application/json")
        .with_body(
            {
                # Matcher plus generator with a fixed example: the file keeps
                # both, the mock server answers with a random id.
                "id": GenericMatcher(
                    "integer", 1001, generator=generate.int(min=1000, max=9999)
                ),
                "name": match.str("Widget"),
            },
            content_type="application/json",
        )
    )
    if v4:
        # A status-code matching rule: any 2xx passes. pact_models writes it
        # as {"status": {"": {"combine": ..., "matchers": [...]}}}.
        interaction.with_matching_rules(
            {"status": {"combine": "AND", "matchers": [{"match": "statusCode", "status": "success"}]}}
        )
    calls.append(
        Call(
            "POST",
            "/items",
            [("Content-Type", "application/json")],
            json.dumps(
                {"name": "Widget", "price": 19.5, "quantity": 3, "tags": ["new", "sale"]}
            ).encode(),
            expect_status=201,
        )
    )

    # 4. Plain-text response body.
    (
        pact.upon_receiving("a request for a plain text greeting")
        .with_request("GET", "/greeting")
        .with_header("Accept", "text/plain")
        .will_respond_with(200)
        .with_header("Content-Type", "text/plain; charset=utf-8")
        .with_body("Hello, treaty!\n", content_type="text/plain; charset=utf-8")
    )
    calls.append(Call("GET", "/greeting", [("Accept", "text/plain")]))

    # 5. Error response for a state with params.
    (
        pact.upon_receiving("a request for a missing user")
        .given("no user exists", id=999)
        .with_request("GET", "/users/999")
        .with_header("Accept", "application/json")
        .will_respond_with(404)
        .with_header("Content-Type", "application/json")
        .with_body(
            {"error": match.str("not found"), "code": match.int(404)},
            content_type="application/json",
        )
    )
    calls.append(
        Call("GET", "/users/999", [("Accept", "application/json")], expect_status=404)
    )

    # 6. DELETE with no bodies.
    (
        pact.upon_receiving("a request to delete an item")
        .given("an item exists", id=1001)
        .with_request("DELETE", "/items/1001")
        .will_respond_with(204)
    )
    calls.append(Call("DELETE", "/items/1001", expect_status=204))

    # 7. Path from a provider-state generator: the verifier takes accountId from
    #    the state-change response.
    (
        pact.upon_receiving("a request for an account by provider-state id")
        .given("an account exists", accountId=77)
        .with_request(
            "GET",
            # match.regex() takes no generator; GenericMatcher is the
            # documented way to pair a matcher with any generator.
            GenericMatcher(
                "regex",
                "/accounts/77",
                generator=generate.provider_state("/accounts/${accountId}"),
                regex=r"^/accounts/\d+$",
            ),
        )
        .will_respond_with(200)
        .with_header("Content-Type", "application/json")
        .with_body(
            {"accountId": match.int(77), "currency": match.regex("EUR", regex=r"^[A-Z]{3}$")},
            content_type="application/json",
        )
    )
    calls.append(Call("GET", "/accounts/77"))

    # 8. XML response body with matchers and a repeated element.
    (
        pact.upon_receiving("a request for an order as XML")
        .given("an order exists", orderId=5)
        .with_request("GET", "/orders/5")
        .with_header("Accept", "application/xml")
        .will_respond_with(200)
        .with_header("Content-Type", "application/xml")
        .with_body(
            xml.body(
                xml.element(
                    "order",
                    xml.element("id", match.int(5)),
                    xml.element(
                        "line",
                        xml.element("sku", match.regex("SKU-1", regex=r"^SKU-\d+$")),
                        xml.element("qty", match.int(2)),
                        attrs={"currency": "EUR"},
                    ).each(min=1, examples=2),
                    attrs={"status": match.str("open")},
                )
            ),
            content_type="application/xml",
        )
    )
    calls.append(Call("GET", "/orders/5", [("Accept", "application/xml")]))

    if v4:
        # 9. V4-only interaction fields: pending, comments, key.
        (
            pact.upon_receiving("a health check")
            .with_request("GET", "/health")
            .will_respond_with(200)
            .with_header("Content-Type", "application/json")
            .with_body({"status": match.regex("UP", regex=r"^(UP|DOWN)$")}, "application/json")
            .set_key("health-check")
            .set_pending(pending=True)
            .add_text_comment("written by pact-python for treaty interop tests")
            .set_comment("owner", "treaty")
            .test_name("tests/interop/write_pacts.py::health")
        )
        calls.append(Call("GET", "/health"))

        # 10. Binary response body (written base64-encoded in V4) with a
        #     contentType matching rule.
        (
            pact.upon_receiving("a request for the logo")
            .with_request("GET", "/logo.png")
            .will_respond_with(200)
            .with_header("Content-Type", "image/png")
            .with_binary_body(LOGO_PNG, "image/png")
            .with_matching_rules({"body": {"$": match.content_type("image/png")}})
        )
        calls.append(Call("GET", "/logo.png"))

    return calls


def run_http(pact: Pact, calls: list[Call]) -> None:
    with pact.serve(addr="127.0.0.1") as srv:
        port = srv.port
        for call in calls:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.putrequest(call.method, call.path, skip_accept_encoding=True)
                for name, value in call.headers:
                    conn.putheader(name, value)
                if call.body is not None:
                    conn.putheader("Content-Length", str(len(call.body)))
                conn.endheaders(call.body)
                resp = conn.getresponse()
                data = resp.read()
            finally:
                conn.close()
            if resp.status != call.expect_status:
                raise SystemExit(
                    f"{call.method} {call.path}: status {resp.status}, "
                    f"expected {call.expect_status}: {data[:500]!r}"
                )
            if DEBUG:
                print(f"{call.method} {call.path} -> {resp.status} {data[:80]!r}", file=sys.stderr)
            if call.check:
                call.check(resp.status, dict(resp.getheaders()), data)
        if DEBUG:
            print(f"mismatches: {srv.mismatches}", file=sys.stderr)
        # Leaving the block raises if anything was unmatched or missing.


# --------------------------------------------------------------------------
# Message interactions
# --------------------------------------------------------------------------


def add_async_messages(pact: Pact, v4: bool) -> None:
    (
        pact.upon_receiving("an order created event", "Async")
        .given("an order exists", orderId=5)
        .with_body(
            {
                "event": "OrderCreated",
                "orderId": match.int(5),
                "status": match.regex("open", regex=r"^(open|closed)$"),
                "total": match.decimal(39.0),
                "placedAt": match.datetime("2024-02-01T12:00:00+0000"),
                "lines": match.each_like(
                    {"sku": match.str("SKU-1"), "qty": match.int(2)}, min=1
                ),
            },
            content_type="application/json",
        )
        .with_metadata({"topic": "orders", "partition": match.int(3)})
    )
    if v4:
        (
            pact.upon_receiving("a plain text audit message", "Async")
            .with_body("order 5 created", content_type="text/plain")
            .with_metadata(topic="audit")
        )


def add_sync_messages(pact: Pact) -> None:
    (
        pact.upon_receiving("a price quote request", "Sync")
        .given("a product exists", sku="SKU-1")
        .with_body(
            {"sku": match.str("SKU-1"), "qty": match.int(2)},
            content_type="application/json",
        )
        .with_metadata({"requestId": match.uuid(UUID_EXAMPLE)})
        .will_respond_with()
        .with_body(
            {"sku": match.str("SKU-1"), "unitPrice": match.decimal(19.5), "total": match.decimal(39.0)},
            content_type="application/json",
        )
        .with_metadata(contentType="application/json")
    )


def consume_message(body: str | bytes | None, metadata: dict[str, object]) -> None:
    """The 'consumer' of the messages: it must be able to handle each one."""
    if isinstance(body, bytes):
        body = body.decode()
    assert body, "empty message"
    if body.lstrip().startswith("{"):
        doc = json.loads(body)
        assert ("orderId" in doc) or ("sku" in doc), doc
    else:
        assert "order" in body, body


# --------------------------------------------------------------------------


def pact_file(outdir: Path, consumer: str) -> Path:
    return outdir / f"{consumer}-{PROVIDER}.json"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    outdir = Path(argv[1]).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    # V3 HTTP pact.
    v3 = Pact(CONSUMER_V3, PROVIDER).with_specification("V3")
    run_http(v3, add_http(v3, v4=False))
    v3.write_file(outdir, overwrite=True)
    written.append(pact_file(outdir, CONSUMER_V3))

    # V3 message pact (V3 keeps messages in a separate pact file).
    v3m = Pact(CONSUMER_V3_MESSAGES, PROVIDER).with_specification("V3")
    add_async_messages(v3m, v4=False)
    v3m.verify(consume_message, "Async")
    v3m.write_file(outdir, overwrite=True)
    written.append(pact_file(outdir, CONSUMER_V3_MESSAGES))

    # V4 pact: HTTP, asynchronous and synchronous messages in one file. The
    # mock server panics (mock_server.rs unwrap on None) when the pact it serves
    # also holds message interactions, and a served pact can no longer be
    # changed; so, as separate consumer tests would, two Pact objects for the
    # same consumer/provider write to the same file, the second merging.
    v4 = Pact(CONSUMER_V4, PROVIDER).with_specification("V4")
    run_http(v4, add_http(v4, v4=True))
    v4.write_file(outdir, overwrite=True)
    v4m = Pact(CONSUMER_V4, PROVIDER).with_specification("V4")
    add_async_messages(v4m, v4=True)
    add_sync_messages(v4m)
    v4m.verify(consume_message, "Async")
    v4m.verify(consume_message, "Sync")
    v4m.write_file(outdir, overwrite=False)
    written.append(pact_file(outdir, CONSUMER_V4))

    for path in written:
        if not path.is_file():
            raise SystemExit(f"expected pact file was not written: {path}")
        json.loads(path.read_text())  # must be valid JSON
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
