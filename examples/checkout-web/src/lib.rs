//! An example consumer: the part of the `checkout-web` application that
//! talks to the order service (`examples/order-service`).
//!
//! Its tests (`tests/contract.rs`) run this client against treaty mock
//! servers and write the contract `checkout-web` → `order-service` into
//! `examples/contracts/`, which the provider example is verified against
//! (`scripts/demo`).
//!
//! Run with `cargo test -p checkout-web`.

use serde::{Deserialize, Serialize};

/// An order as checkout-web reads it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The order's id.
    pub id: u64,
    /// `PENDING`, `PAID` or `SHIPPED`.
    pub status: String,
    /// When it was placed (`yyyy-MM-ddTHH:mm:ss`).
    pub placed_at: String,
    /// Who placed it.
    pub customer: Customer,
    /// What was ordered.
    pub lines: Vec<OrderLine>,
    /// The sum of the lines.
    pub total: f64,
}

/// The customer of an order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Customer {
    /// Their e-mail address.
    pub email: String,
    /// Their name.
    pub name: String,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: u64,
    /// The price of one.
    pub unit_price: f64,
}

/// A line of a new order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewLine {
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: u64,
}

/// What placing an order gives back.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The new order's id.
    pub id: u64,
    /// Its status (`PENDING`).
    pub status: String,
    /// Where to read it (the `Location` header).
    pub location: String,
}

/// The event the order service publishes when an order is paid.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderPaid {
    /// The order.
    pub order_id: u64,
    /// When it was paid.
    pub paid_at: String,
    /// How much.
    pub amount: f64,
}

/// What went wrong talking to the order service.
#[derive(Debug)]
pub enum OrderError {
    /// The request failed or the answer was not what the client reads.
    Http(reqwest::Error),
    /// The service answered with an unexpected status.
    Status(u16),
    /// A successful answer lacked something the client needs.
    Missing(&'static str),
}

impl std::fmt::Display for OrderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OrderError::Http(e) => write!(f, "order service request failed: {e}"),
            OrderError::Status(s) => write!(f, "order service answered {s}"),
            OrderError::Missing(what) => write!(f, "order service answer lacks {what}"),
        }
    }
}

impl std::error::Error for OrderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OrderError::Http(e) => Some(e),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for OrderError {
    fn from(e: reqwest::Error) -> OrderError {
        OrderError::Http(e)
    }
}

/// A client of the order service.
#[derive(Debug, Clone)]
pub struct OrderClient {
    base_url: String,
    http: reqwest::Client,
}

impl OrderClient {
    /// A client of the service at `base_url` (e.g. `http://orders:8080`).
    pub fn new(base_url: &str) -> OrderClient {
        OrderClient {
            base_url: base_url.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// The order `id`, or `None` when the service does not know it.
    pub async fn order(&self, id: u64) -> Result<Option<Order>, OrderError> {
        let response = self
            .http
            .get(format!("{}/orders/{id}", self.base_url))
            .header("Accept", "application/json")
            .send()
            .await?;
        match response.status().as_u16() {
            200 => Ok(Some(response.json().await?)),
            404 => Ok(None),
            other => Err(OrderError::Status(other)),
        }
    }

    /// Places an order; `notify` lists the channels that tell the customer
    /// about it (`email`, `sms`).
    pub async fn place_order(
        &self,
        lines: &[NewLine],
        notify: &[&str],
    ) -> Result<Placed, OrderError> {
        let query: Vec<(&str, &str)> = notify.iter().map(|n| ("notify", *n)).collect();
        let response = self
            .http
            .post(format!("{}/orders", self.base_url))
            .query(&query)
            .json(&serde_json::json!({ "lines": lines }))
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(OrderError::Status(response.status().as_u16()));
        }
        let location = response
            .headers()
            .get("Location")
            .and_then(|v| v.to_str().ok())
            .ok_or(OrderError::Missing("a Location header"))?
            .to_owned();
        let body: serde_json::Value = response.json().await?;
        let id = body["id"].as_u64().ok_or(OrderError::Missing("an id"))?;
        let status = body["status"]
            .as_str()
            .ok_or(OrderError::Missing("a status"))?;
        Ok(Placed {
            id,
            status: status.to_owned(),
            location,
        })
    }
}

/// Reads an order-paid event (the JSON payload of an `orders.paid`
/// message).
pub fn read_order_paid(payload: &[u8]) -> Result<OrderPaid, serde_json::Error> {
    serde_json::from_slice(payload)
}
