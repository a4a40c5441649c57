//! Seed 003: one operation with ten routes (certificate sub-paths and type casts), as one
//! enum. Env for real Graph: GRAPH_TOKEN, GRAPH_DEVICE_CONFIGURATION_ID,
//! GRAPH_DEVICE_CONFIGURATION_ASSIGNMENT_ID, GRAPH_TRUSTED_ROOT_CERTIFICATE_ID, GRAPH_GROUP_ID.
//! Against real Graph only the routes that fit the configuration's type succeed.

mod common;

use common::seeds::{UpdateCertificateAssignment, pages};
use graph_endpoint::Endpoint;

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    let session = common::Session::connect().await?;
    let (Some(configuration), Some(assignment), Some(certificate), Some(body)) = (
        session.id("GRAPH_DEVICE_CONFIGURATION_ID", "0f1e2d3c-config"),
        session.id("GRAPH_DEVICE_CONFIGURATION_ASSIGNMENT_ID", "22e558a3-58a3-22e5-a358-e522a358e522"),
        session.id("GRAPH_TRUSTED_ROOT_CERTIFICATE_ID", "root-cert-1"),
        session.body(pages::S003_REQUEST),
    ) else {
        return Ok(());
    };
    let mut failed = 0;
    for (i, route) in UpdateCertificateAssignment::all_routes(&configuration, &assignment, &certificate, &body).iter().enumerate() {
        let title = format!("seed 003, route {} of 10: {}", i + 1, route.template());
        if session.show(&title, route).await.is_err() {
            failed += 1;
        }
    }
    println!("{} of 10 routes succeeded", 10 - failed);
    Ok(())
}
