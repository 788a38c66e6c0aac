//! The background worker that `ferd serve` and `ferd demo` run beside the web application: every minute it marks
//! jobs whose instance died mid-send as interrupted and enqueues the reminders that are due (once each, however many
//! instances do the same), and every few seconds it claims and sends due mail, one job at a time. Once a day it
//! deletes outbox files older than 30 days.
//!
//! On Ctrl-C or SIGTERM the web application stops taking requests and the worker finishes the mail in hand before
//! the process ends (up to a grace period): a mail is never cut off mid-send by an orderly stop. A process that is
//! killed outright leaves its job running until the lease runs out; it is then shown as interrupted.

use std::time::Duration;

use ferd_web::mail::Postman;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How often the scheduler looks for reminders that are due.
const SCHEDULE_EVERY: Duration = Duration::from_secs(60);
/// How often the worker looks for mail to send (jobs enqueued by another instance, or sent again by an admin).
const POLL_EVERY: Duration = Duration::from_secs(5);
/// How often old outbox files are deleted.
const PRUNE_EVERY: Duration = Duration::from_secs(86_400);

/// The running worker.
pub struct Worker {
    handle: JoinHandle<()>,
    stop: watch::Sender<bool>,
}

/// A name for this process's worker, unique across instances and restarts: host, process id and a random part.
/// It is written into the jobs this process claims, so an admin can tell which instance sent what.
pub fn worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "ferd".into());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}:{}:{}", std::process::id(), &random[..8])
}

/// Starts the worker on the current runtime.
pub fn start(postman: Postman) -> Worker {
    let (stop, stopped) = watch::channel(false);
    let handle = tokio::spawn(run(postman, stopped));
    Worker { handle, stop }
}

impl Worker {
    /// Asks the worker to stop after the job in hand and waits for it, at most `grace`. A send still running then
    /// is abandoned; its job shows as interrupted once its lease runs out.
    pub async fn stop(self, grace: Duration) {
        let _ = self.stop.send(true);
        let handle = self.handle;
        if tokio::time::timeout(grace, handle).await.is_err() {
            tracing::warn!(
                "the mail worker did not finish in time; a mail in hand will show as interrupted"
            );
        }
    }
}

async fn run(postman: Postman, mut stopped: watch::Receiver<bool>) {
    let mut next_schedule = tokio::time::Instant::now();
    let mut next_prune = tokio::time::Instant::now();
    tracing::info!(worker = postman.worker(), "mail worker started");
    loop {
        if *stopped.borrow() {
            break;
        }
        let now = tokio::time::Instant::now();
        if now >= next_schedule {
            next_schedule = now + SCHEDULE_EVERY;
            let ms = ferd_store::now_ms();
            if let Err(e) = postman.recover(ms).await {
                tracing::warn!(error = %e, "could not look for interrupted jobs");
            }
            match postman.schedule(ms).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reminders = n, "reminders enqueued"),
                Err(e) => tracing::warn!(error = %e, "could not enqueue reminders"),
            }
        }
        if now >= next_prune {
            next_prune = now + PRUNE_EVERY;
            let p = postman.clone();
            if let Ok(n) =
                tokio::task::spawn_blocking(move || p.prune_outbox(ferd_store::now_ms())).await
            {
                if n > 0 {
                    tracing::info!(files = n, "old outbox files deleted");
                }
            }
        }
        // One job at a time, checking for a stop between jobs.
        loop {
            if *stopped.borrow() {
                break;
            }
            match postman.deliver_due(1).await {
                Ok(1) => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "could not claim a job");
                    break;
                }
            }
        }
        let wait =
            POLL_EVERY.min(next_schedule.saturating_duration_since(tokio::time::Instant::now()));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stopped.changed() => {}
        }
    }
    tracing::info!("mail worker stopped");
}

/// Completes on Ctrl-C, or SIGTERM on Unix (what systemd sends).
pub async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
