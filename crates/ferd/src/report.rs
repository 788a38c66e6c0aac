//! `ferd report outcomes`: the practice's outcomes on the PCL-5, PHQ-9 and GAD-7 beside the published trial arms.
//! The store reads and ferd-core summarises and renders ([`ferd_core::outcomes::report`]); the web page shows the
//! same report.

use ferd_store::Actor;

use crate::admin::Settings;
use crate::Failure;

/// `ferd report outcomes`.
pub async fn outcomes(settings: &Settings, csv: bool) -> Result<String, Failure> {
    let store = settings.open().await?;
    let actor = Actor::system(format!("cli-{}", uuid::Uuid::new_v4()));
    let report = store.outcome_report(&actor).await;
    store.close().await;
    let report = report.map_err(Failure::from_store)?;
    if csv {
        Ok(report.to_csv())
    } else {
        serde_json::to_string_pretty(&report.to_json()).map_err(|e| Failure::input(e.to_string()))
    }
}
