//! The routes: one module per resource family.

mod environments;
mod executions;
mod index;
mod labels;
mod matrix;
mod pacticipants;
mod pacts;
mod publish;
mod verification;
mod webhooks;

use axum::http::{Method, Uri};
use axum::routing::{get, post, put};
use axum::Router;

use crate::error::BrokerError;
use crate::state::AppState;

/// Every route of the broker.
pub(crate) fn router() -> Router<AppState> {
    let pact_version = "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}";
    Router::new()
        .route("/", get(index::index))
        .route("/health", get(index::health))
        .route("/metrics", get(crate::metrics::metrics))
        .route("/openapi.json", get(crate::openapi::openapi))
        .route("/pacticipants", get(pacticipants::list).post(pacticipants::create))
        .route("/pacticipants/{pacticipant}", get(pacticipants::get).put(pacticipants::upsert).patch(pacticipants::upsert).delete(pacticipants::delete))
        .route("/pacticipants/{pacticipant}/versions", get(pacticipants::versions))
        .route("/pacticipants/{pacticipant}/labels/{label}", get(labels::get).put(labels::put).delete(labels::delete))
        .route("/pacticipants/label/{label}", get(labels::labelled))
        .route("/labels", get(labels::all))
        .route("/pacticipants/{pacticipant}/versions/{version}", get(pacticipants::get_version).put(pacticipants::put_version))
        .route("/pacticipants/{pacticipant}/latest-version", get(pacticipants::latest_version))
        .route("/pacticipants/{pacticipant}/latest-version/{tag}", get(pacticipants::latest_version))
        .route("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", get(pacticipants::get_tag).put(pacticipants::put_tag))
        .route("/pacticipants/{pacticipant}/branches/{branch}", get(pacticipants::get_branch).delete(pacticipants::delete_branch))
        .route("/pacticipants/{pacticipant}/branches/{branch}/versions/{version}", put(pacticipants::put_branch_version))
        .route("/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{environment}", post(environments::record_deployment))
        .route("/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{environment}", post(environments::record_release))
        .route("/contracts/publish", post(publish::publish_contracts))
        .route("/pacts/latest", get(pacts::latest_all))
        .route("/pacts/provider/{provider}/consumer/{consumer}/version/{version}", get(pacts::by_version).put(publish::put_pact).patch(publish::patch_pact))
        .route("/pacts/provider/{provider}/consumer/{consumer}/latest", get(pacts::latest_for_consumer))
        .route("/pacts/provider/{provider}/consumer/{consumer}/latest/{tag}", get(pacts::latest_for_consumer))
        .route(pact_version, get(pacts::by_sha))
        .route(&format!("{pact_version}/metadata/{{metadata}}"), get(pacts::by_sha))
        .route(&format!("{pact_version}/verification-results"), post(verification::publish_result))
        .route(&format!("{pact_version}/metadata/{{metadata}}/verification-results"), post(verification::publish_result))
        .route(&format!("{pact_version}/verification-results/{{id}}"), get(verification::get_result))
        .route(&format!("{pact_version}/verification-results/{{id}}/triggered-webhooks"), get(executions::for_verification))
        .route("/pacts/provider/{provider}/consumer/{consumer}/version/{version}/triggered-webhooks", get(executions::for_pact))
        .route("/pacts/provider/{provider}/consumer/{consumer}/webhooks/status", get(executions::status))
        .route("/pacts/provider/{provider}/latest", get(pacts::latest_for_provider))
        .route("/pacts/provider/{provider}/latest/{tag}", get(pacts::latest_for_provider))
        .route("/pacts/provider/{provider}/for-verification", get(verification::for_verification_get).post(verification::for_verification))
        .route("/environments", get(environments::list).post(environments::create))
        .route("/environments/{uuid}", get(environments::get).put(environments::update).delete(environments::delete))
        .route("/environments/{uuid}/deployed-versions/currently-deployed", get(environments::currently_deployed))
        .route("/environments/{uuid}/released-versions/currently-supported", get(environments::currently_supported))
        .route("/deployed-versions/{uuid}", get(environments::get_deployed).patch(environments::patch_deployed))
        .route("/released-versions/{uuid}", get(environments::get_released).patch(environments::patch_released))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/dead-letters", get(executions::dead_letters))
        .route("/webhooks/execute", post(webhooks::execute_unsaved))
        .route("/webhooks/provider/{provider}/consumer/{consumer}", get(webhooks::list_for).post(webhooks::create_for))
        .route("/webhooks/{uuid}", get(webhooks::get).put(webhooks::put).delete(webhooks::delete))
        .route("/webhooks/{uuid}/execute", post(webhooks::execute))
        .route("/webhooks/{uuid}/deliveries", get(executions::deliveries))
        .route("/triggered-webhooks/{uuid}/logs", get(executions::logs))
        .route("/matrix", get(matrix::matrix))
        .route("/can-i-deploy", get(matrix::can_i_deploy))
        .route("/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}", get(matrix::branch_to_environment))
        .route("/pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}", get(matrix::tag_to_tag))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found(method: Method, uri: Uri) -> BrokerError {
    BrokerError::NotFound(format!("the resource {method} {}", uri.path()))
}

async fn method_not_allowed() -> BrokerError {
    BrokerError::MethodNotAllowed
}
