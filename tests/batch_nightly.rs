//! A new user's nightly job, tested as they would test it: only with the crate's stand-in,
//! no `$batch` emulator of their own. One of the job's `$batch` requests fails while the
//! others are answered; the job's report must still account for every item, and say which
//! writes were applied, which failed without effect, and which must be checked.

use graph_endpoint::testing::{Reply, StandIn};
use graph_endpoint::{Client, Method, graph_endpoint};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Assignment {
    id: String,
    intent: String,
}

#[graph_endpoint(PATCH "/deviceAppManagement/mobileApps/{mobileAppId}/assignments/{mobileAppAssignmentId}", version = "beta", response = Option<Assignment>)]
struct UpdateAppAssignment {
    mobile_app_id: String,
    mobile_app_assignment_id: String,
    #[graph(body)]
    body: Assignment,
}

/// What the job tells its operator in the morning.
#[derive(Debug, Default)]
struct Report {
    applied: Vec<String>,
    /// Failed, and Graph did not act on them: safe to send again.
    failed: Vec<(String, Option<u16>)>,
    /// Failed, but Graph may have acted on them: look before sending again.
    to_check: Vec<(String, Option<u16>)>,
}

/// The job, as the README's bulk section has it: one `client.batch`, one result per item.
async fn nightly(client: &Client, assignments: &[(String, String)]) -> Report {
    let updates: Vec<UpdateAppAssignment> = assignments
        .iter()
        .map(|(app, id)| UpdateAppAssignment {
            mobile_app_id: app.clone(),
            mobile_app_assignment_id: id.clone(),
            body: Assignment { id: id.clone(), intent: "required".into() },
        })
        .collect();
    let results = client.batch(updates).await;
    let mut report = Report::default();
    for ((_, id), result) in assignments.iter().zip(results) {
        match result {
            Ok(_) => report.applied.push(id.clone()),
            Err(error) if error.may_have_been_applied() => report.to_check.push((id.clone(), error.status())),
            Err(error) => report.failed.push((id.clone(), error.status())),
        }
    }
    report
}

#[tokio::test]
async fn a_nightly_job_sees_every_items_outcome_when_a_batch_request_fails_midway() {
    let stand_in = StandIn::start().await;
    let template = "/deviceAppManagement/mobileApps/{mobileAppId}/assignments/{mobileAppAssignmentId}";
    stand_in.on::<UpdateAppAssignment>().respond_with(|call| Reply::json(200, call.json::<Value>().unwrap()));
    // Two assignments no longer exist; one is throttled once.
    for gone in ["as-17", "as-133"] {
        stand_in.route(Method::Patch, &template.replace("{mobileAppAssignmentId}", gone)).error(404, "ResourceNotFound", "gone");
    }
    stand_in
        .route(Method::Patch, &template.replace("{mobileAppAssignmentId}", "as-60"))
        .throttle(1, Duration::from_millis(20))
        .json(200, json!({"id": "as-60", "intent": "required"}));
    // The job's $batch requests meet a Graph outage: a 503 (not processed: the client sends
    // that request again) and a 500 (which may follow a write).
    stand_in.route(Method::Post, "/$batch").times(1).error(503, "ServiceUnavailable", "down");
    stand_in.route(Method::Post, "/$batch").times(1).error(500, "InternalServerError", "down");

    let assignments: Vec<(String, String)> = (0..200).map(|i| (format!("app-{}", i % 7), format!("as-{i}"))).collect();
    let report = nightly(&stand_in.client(), &assignments).await;

    // Every item is accounted for, once.
    let seen: HashSet<&String> =
        report.applied.iter().chain(report.failed.iter().map(|(id, _)| id)).chain(report.to_check.iter().map(|(id, _)| id)).collect();
    assert_eq!(seen.len(), 200, "{report:?}");
    assert_eq!(report.applied.len() + report.failed.len() + report.to_check.len(), 200);

    // The request that failed: its own items are to check, and they are exactly the items of
    // one envelope; the items of the other requests were answered.
    let checked: HashSet<&str> = report.to_check.iter().map(|(id, _)| id.as_str()).collect();
    assert!(report.to_check.iter().all(|(_, status)| *status == Some(500)), "{:?}", report.to_check);
    assert_eq!(checked.len(), 20);
    let envelopes: Vec<HashSet<String>> = stand_in
        .batches()
        .iter()
        .map(|b| {
            let sent: Value = b.json().unwrap();
            sent["requests"].as_array().unwrap().iter().map(|i| i["body"]["id"].as_str().unwrap().to_owned()).collect()
        })
        .collect();
    assert!(envelopes.iter().any(|e| e.iter().map(String::as_str).collect::<HashSet<_>>() == checked), "{checked:?}");

    // Failed without effect: the gone assignments, unless their request was the one that
    // failed.
    for (id, status) in &report.failed {
        assert!(["as-17", "as-133"].contains(&id.as_str()) && *status == Some(404), "{id}: {status:?}");
    }
    for gone in ["as-17", "as-133"] {
        assert!(checked.contains(gone) || report.failed.iter().any(|(id, _)| id == gone), "{gone}");
    }

    // What the stand-in applied is what the report says was applied, and no write was sent
    // twice but the throttled one (Graph had not processed it).
    let mut answered: HashMap<String, usize> = HashMap::new();
    for call in stand_in.calls::<UpdateAppAssignment>() {
        *answered.entry(call.path_param("mobileAppAssignmentId").unwrap()).or_default() += 1;
    }
    for id in &report.applied {
        assert!(answered.contains_key(id), "{id} reported applied, never answered");
    }
    for id in &checked {
        assert!(!answered.contains_key(*id), "the outage answered {id} before its route did");
    }
    for (id, times) in &answered {
        assert!(*times == 1 || (id == "as-60" && *times == 2), "{id} sent {times} times");
    }
    assert_eq!(answered.len(), 180);
}
