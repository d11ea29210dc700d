//! checkout-web's contract tests: each runs the order client against a
//! treaty mock server; together they write
//! `examples/contracts/checkout-web-order-service.json`, the contract the
//! example provider is verified against (`scripts/demo`).
//!
//! Run with `cargo test -p checkout-web`.

use checkout_web::{read_order_paid, NewLine, OrderClient};
use serde_json::json;
use treaty_core::consumer::{
    contract, datetime, decimal, each_like, from_provider_state, get, integer, like, number, ok,
    post, regex, status, status_code, ContractBuilder, StatusClass,
};
use treaty_core::term;

/// The contract between checkout-web and the order service, written next
/// to the other examples.
fn order_service() -> ContractBuilder {
    contract("checkout-web", "order-service")
        .output_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts"))
}

#[tokio::test]
async fn reads_an_existing_order() {
    let mock = order_service()
        .interaction("a request for an existing order", |i| {
            i.given_with("an order exists", json!({"orderId": 1042}))
                .request(
                    get(from_provider_state("/orders/${orderId}", "/orders/1042"))
                        .header("Accept", "application/json"),
                )
                .response(ok().header("Content-Type", "application/json").json(term!({
                    "id": from_provider_state("${orderId}", integer(1042)),
                    "status": regex("PENDING|PAID|SHIPPED", "PAID"),
                    "placedAt": datetime("yyyy-MM-dd'T'HH:mm:ss", "2026-11-02T10:15:30"),
                    "customer": like(term!({
                        "email": regex("[^@\\s]+@[^@\\s]+", "ada@example.com"),
                        "name": "Ada"
                    })),
                    "lines": each_like(term!({
                        "sku": "BOOK-1",
                        "quantity": integer(2),
                        "unitPrice": number(12.5)
                    })),
                    "total": number(25.0)
                })))
        })
        .start_mock_server();

    let order = OrderClient::new(mock.base_url()).order(1042).await;

    let order = order.expect("the client reads the order").expect("found");
    assert_eq!(order.id, 1042);
    assert_eq!(order.customer.name, "Ada");
    assert_eq!(order.lines[0].quantity, 2);
}

#[tokio::test]
async fn reads_a_missing_order_as_none() {
    let mock = order_service()
        .interaction("a request for an order that does not exist", |i| {
            i.given("no orders exist")
                .request(get("/orders/999").header("Accept", "application/json"))
                .response(
                    status(404)
                        .header("Content-Type", "application/json")
                        .json(term!({"error": like("order 999 not found")})),
                )
        })
        .start_mock_server();

    let order = OrderClient::new(mock.base_url()).order(999).await;

    assert_eq!(order.expect("a 404 is not an error"), None);
}

#[tokio::test]
async fn places_an_order() {
    let mock = order_service()
        .interaction("a request to place an order", |i| {
            i.given_with("the catalogue has a book", json!({"sku": "BOOK-1"}))
                .request(
                    post("/orders")
                        .query("notify", "email")
                        .query("notify", "sms")
                        .header("Content-Type", "application/json")
                        .json(term!({
                            "lines": each_like(term!({"sku": "BOOK-1", "quantity": integer(2)}))
                        })),
                )
                .response(
                    status(status_code(StatusClass::Success, 201))
                        .header("Content-Type", "application/json")
                        .header(
                            "Location",
                            regex(
                                "https?://.+/orders/\\d+",
                                "http://localhost:8080/orders/1043",
                            ),
                        )
                        .json(term!({"id": integer(1043), "status": "PENDING"})),
                )
        })
        .start_mock_server();
    let lines = [NewLine {
        sku: "BOOK-1".into(),
        quantity: 2,
    }];

    let placed = OrderClient::new(mock.base_url())
        .place_order(&lines, &["email", "sms"])
        .await;

    let placed = placed.expect("the order is placed");
    assert_eq!(placed.id, 1043);
    assert_eq!(placed.status, "PENDING");
    assert!(placed.location.ends_with("/orders/1043"));
}

#[test]
fn handles_the_order_paid_event() {
    order_service()
        .message("an order-paid event", |m| {
            m.given_with("an order exists", json!({"orderId": 1042}))
                .json(term!({
                    "orderId": integer(1042),
                    "paidAt": datetime("yyyy-MM-dd'T'HH:mm:ss", "2026-11-02T10:16:00"),
                    "amount": decimal(25.0)
                }))
                .metadata("contentType", "application/json")
                .metadata("topic", "orders.paid")
        })
        .consume(|message| {
            read_order_paid(&message.bytes()).map(|paid| assert!(paid.amount > 0.0))
        });
}
