//! The state one scenario builds up.

use serde_json::{Map, Value};
use treaty_core::matching::MatchResult;
use treaty_core::model::{HttpRequest, HttpResponse, SpecVersion};

use super::authoring::Authoring;
use super::http_consumer::ConsumerWorld;
use super::message_consumer::MessageRun;
use super::verifier::VerifyWorld;

pub(crate) struct World {
    pub(crate) version: SpecVersion,
    pub(crate) expected_request: HttpRequest,
    pub(crate) received: Vec<HttpRequest>,
    pub(crate) results: Vec<MatchResult>,
    pub(crate) expected_response: HttpResponse,
    pub(crate) actual_response: HttpResponse,
    pub(crate) response_result: Option<MatchResult>,
    pub(crate) provider_mode: bool,
    pub(crate) original_request: HttpRequest,
    pub(crate) original_response: HttpResponse,
    pub(crate) generated_request: Option<HttpRequest>,
    pub(crate) generated_response: Option<HttpResponse>,
    pub(crate) context: Map<String, Value>,
    pub(crate) verify: VerifyWorld,
    pub(crate) consumer: ConsumerWorld,
    pub(crate) authoring: Authoring,
    pub(crate) messages: MessageRun,
}

impl World {
    pub(crate) fn new(version: &str) -> World {
        World {
            version: match version {
                "V1" => SpecVersion::V1,
                "V2" => SpecVersion::V2,
                "V4" => SpecVersion::V4,
                _ => SpecVersion::V3,
            },
            expected_request: HttpRequest::default(),
            received: Vec::new(),
            results: Vec::new(),
            expected_response: HttpResponse::default(),
            actual_response: HttpResponse::default(),
            response_result: None,
            provider_mode: false,
            original_request: HttpRequest::default(),
            original_response: HttpResponse::default(),
            generated_request: None,
            generated_response: None,
            context: Map::new(),
            verify: VerifyWorld::default(),
            consumer: ConsumerWorld::default(),
            authoring: Authoring::default(),
            messages: MessageRun::default(),
        }
    }
}
