//! A bulk job: updates many device configuration assignments, with a progress bar, a
//! journal that lets a rerun resume, and the report's summary as a table at the end.
//!
//! Against a local Graph stand-in by default (2,000 assignments, one of which does not exist),
//! or against real Graph when `GRAPH_TOKEN` is set, as the quickstart: then
//! `GRAPH_DEVICE_CONFIGURATION_ID` names the configuration,
//! `GRAPH_DEVICE_CONFIGURATION_ASSIGNMENT_IDS` its assignments (comma-separated) and
//! `GRAPH_GROUP_ID` the group they target.
//!
//!     cargo run --example bulk_assign
//!     BULK_ITEMS=20000 BULK_JOURNAL=assign.sqlite BULK_REPORT=assign.jsonl cargo run --example bulk_assign
//!
//! `BULK_JOURNAL` records the job in a SQLite file: run the example again with the same file
//! and it skips what was applied. `BULK_REPORT` writes one JSON line per item. `BULK_SINGLES=1`
//! sends single calls instead of `$batch` requests.

mod common;

use common::seeds::*;
use graph_endpoint::job::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), graph_endpoint::Error> {
    let session = common::Session::connect().await?;
    let Some(configuration) = session.id("GRAPH_DEVICE_CONFIGURATION_ID", "0f1e2d3c-config") else { return Ok(()) };
    let Some(body) = session.body::<DeviceConfigurationAssignment>(pages::S001_REQUEST) else { return Ok(()) };
    let ids: Vec<String> = if session.is_real() {
        let Some(ids) = session.id("GRAPH_DEVICE_CONFIGURATION_ASSIGNMENT_IDS", "") else { return Ok(()) };
        ids.split(',').map(str::trim).filter(|id| !id.is_empty()).map(str::to_owned).collect()
    } else {
        let count = std::env::var("BULK_ITEMS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000usize);
        // One does not exist: the stand-in answers 404 for the id `missing`.
        (0..count).map(|i| if i == count / 2 { "missing".to_owned() } else { format!("assignment-{i:05}") }).collect()
    };

    // Taken lazily: an update is built only when its chunk leaves.
    let updates = ids.iter().map(|id| UpdateDeviceConfigurationAssignment {
        device_configuration_id: configuration.clone(),
        device_configuration_assignment_id: id.clone(),
        assignment: DeviceConfigurationAssignment { id: Some(id.clone()), ..body.clone() },
    });

    let bar = ProgressBar::new(ids.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()).progress_chars("=> "),
    );
    let shown = bar.clone();
    let mut job = session
        .client
        .job(updates)
        .key(|u: &UpdateDeviceConfigurationAssignment| u.device_configuration_assignment_id.clone())
        .on_progress(move |p: &Progress| {
            shown.set_position(p.done() as u64);
            let left = p.remaining().map_or_else(|| "?".to_owned(), |r| format!("{} s", r.as_secs()));
            shown.set_message(format!("{} failed, {} throttled, {} in flight, {left} left", p.failed(), p.throttled(), p.in_flight()));
        });
    if let Ok(path) = std::env::var("BULK_JOURNAL") {
        job = job.journal(path);
    }
    if std::env::var_os("BULK_SINGLES").is_some() {
        job = job.singles();
    }
    let report = job.run().await?;
    bar.finish();

    println!();
    println!("| outcome     | items |");
    println!("|-------------|------:|");
    for (outcome, count) in [
        ("succeeded", report.succeeded()),
        ("failed", report.failed()),
        ("unverified", report.unverified()),
        ("not sent", report.not_sent()),
        ("skipped", report.skipped()),
    ] {
        println!("| {outcome:<11} | {count:>5} |");
    }
    println!();
    println!("{} requests, {} throttled, in {:.1} s", report.requests(), report.throttled(), secs(report.elapsed()));
    if !report.by_code().is_empty() {
        println!();
        println!("| error code                     | items |");
        println!("|--------------------------------|------:|");
        for (code, count) in report.by_code() {
            println!("| {code:<30} | {count:>5} |");
        }
    }
    if let Ok(path) = std::env::var("BULK_REPORT") {
        report.write_json_lines(&path)?;
        println!("\none line per item in {path}");
    }
    if report.unverified() > 0 {
        println!("\n{} item(s) to check by hand: an earlier run sent them and never learned the outcome", report.unverified());
    }
    Ok(())
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}
