//! `--cors`: answer preflight requests and add CORS headers to every
//! response, echoing what the browser asks for (origin, method, headers),
//! as Pact's stub server does.

use std::time::Duration;

use tower_http::cors::CorsLayer;

/// The CORS layer of a stub with `--cors`.
pub(crate) fn layer() -> CorsLayer {
    CorsLayer::very_permissive().max_age(Duration::from_secs(3600))
}
