//! The seed operations on the crate's own Graph stand-in (`graph_endpoint::testing::StandIn`),
//! so the examples run with no tenant: each seed endpoint answers its page's response; an
//! id `missing` gets Graph's 404 and a body that is not JSON Graph's 400.

use super::seeds::*;
use graph_endpoint::testing::{Call, Reply, StandIn};
use graph_endpoint::{ApiVersion, Endpoint};

/// Starts the stand-in with every seed operation declared.
pub async fn start() -> StandIn {
    let stand_in = StandIn::start().await;
    answer::<UpdateDeviceConfigurationAssignments>(&stand_in, ApiVersion::Beta, pages::S000_RESPONSE);
    answer::<UpdateDeviceConfigurationAssignment>(&stand_in, ApiVersion::V1, pages::S001_RESPONSE);
    answer::<UpdateEnrollmentConfigurationAssignments>(&stand_in, ApiVersion::Beta, pages::S002_RESPONSE);
    // All ten routes of seed 003; its first shares seed 001's template, under beta.
    answer::<UpdateCertificateAssignment>(&stand_in, ApiVersion::Beta, pages::S003_RESPONSE);
    answer::<UpdateIosLobAppProvisioningConfigurationAssignments>(&stand_in, ApiVersion::Beta, pages::S004_RESPONSE);
    stand_in
}

/// Declares `E`'s routes under `version`: 200 with the page's `response`, unless one of the
/// path's ids is `missing` (404) or the body is not JSON (400), as Graph answers those.
fn answer<E: Endpoint>(stand_in: &StandIn, version: ApiVersion, response: &'static str) {
    let response: serde_json::Value = serde_json::from_str(response).expect("the page's response is JSON");
    stand_in.on::<E>().version(version).respond_with(move |call: &Call| {
        if call.path_params().any(|(_, value)| value == "missing") {
            Reply::error(404, "ResourceNotFound", "The requested assignment does not exist.")
        } else if call.json::<serde_json::Value>().is_err() {
            Reply::error(400, "BadRequest", "The request body is not valid JSON.")
        } else {
            Reply::json(200, &response)
        }
    });
}
