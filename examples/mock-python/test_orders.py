"""A consumer test in Python (standard library only) driving `treaty mock`.

The code under test is `order_status`, a tiny client of the order service.
Each test asks the control server for a mock server, points the client at
it, then verifies and writes the contract through the control API.

Run with:

    treaty mock --port 8700 --contract-dir pacts &
    TREATY_MOCK_URL=http://127.0.0.1:8700 python3 examples/mock-python/test_orders.py

CI runs it from cli/tests/mock.rs.
"""

import json
import os
import unittest
import urllib.error
import urllib.request

CONTROL = os.environ.get("TREATY_MOCK_URL", "http://127.0.0.1:8700")


def order_status(base_url, order_id):
    """The code under test: the status of an order, or None if unknown."""
    request = urllib.request.Request(
        f"{base_url}/orders/{order_id}", headers={"Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request) as response:
            return json.load(response)["status"]
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def control(method, path, body=None):
    """Calls the control API; returns (status, JSON body or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        CONTROL + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    return status, (json.loads(text) if text else None)


ORDER = {
    "description": "a request for an existing order (python)",
    "providerStates": [{"name": "an order exists", "params": {"orderId": 1042}}],
    "request": {
        "method": "GET",
        "path": "/orders/1042",
        "headers": {"Accept": "application/json"},
    },
    "response": {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": {"id": 1042, "status": "PAID"},
        "matchingRules": {
            "body": {"$.status": {"matchers": [{"match": "regex", "regex": "PENDING|PAID|SHIPPED"}]}}
        },
    },
}


class OrderStatusTest(unittest.TestCase):
    def start_mock(self):
        status, mock = control(
            "POST", "/mocks?consumer=checkout-py&provider=order-service", [ORDER]
        )
        self.assertEqual(status, 201, mock)
        self.addCleanup(control, "DELETE", f"/mocks/{mock['id']}")
        return mock

    def test_reads_the_status_and_writes_the_contract(self):
        mock = self.start_mock()

        self.assertEqual(order_status(mock["url"], 1042), "PAID")

        status, verdict = control("POST", f"/mocks/{mock['id']}/verify")
        self.assertEqual(status, 200, verdict)
        status, written = control("POST", f"/mocks/{mock['id']}/write")
        self.assertEqual(status, 200, written)
        self.assertTrue(written["path"].endswith("checkout-py-order-service.json"))

    def test_a_wrong_request_fails_verification_with_a_report(self):
        mock = self.start_mock()

        with self.assertRaises(urllib.error.HTTPError):
            order_status(mock["url"], 7)

        status, verdict = control("POST", f"/mocks/{mock['id']}/verify")
        self.assertEqual(status, 422)
        self.assertIn("unexpected: GET /orders/7", verdict["report"])
        self.assertIn("missed: `a request for an existing order (python)`", verdict["report"])


if __name__ == "__main__":
    unittest.main()
