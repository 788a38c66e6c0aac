//! `ferd serve` and `ferd demo`: start the web application.

use std::time::Duration;

use ferd_store::{Keyring, Store, StoreOptions};
use ferd_web::mail::{MailConfig, Postman};
use ferd_web::{Application, WebConfig};

use crate::admin::Settings;
use crate::{worker, Failure};

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure {
            message: format!("cannot start the runtime: {e}"),
            code: 1,
        })
}

fn start_failure(e: impl std::fmt::Display) -> Failure {
    Failure {
        message: e.to_string(),
        code: 1,
    }
}

/// Serves the practice in the data folder.
pub fn serve(settings: &Settings, listen: &str) -> Result<String, Failure> {
    init_logging();
    let config = settings.config()?;
    runtime()?.block_on(async {
        let store = settings.open().await?;
        let web = WebConfig {
            listen: listen.to_string(),
            public_url: config.public_url.clone(),
            content_dir: config.content_dir.clone(),
            site_practice: config.site_practice.clone(),
            mail: config.mail.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
            ..WebConfig::default()
        };
        spawn_retention(store.clone());
        let app = Application::build(web, store.clone())
            .await
            .map_err(start_failure)?;
        println!(
            "ferd is serving the practice at http://{}",
            app.local_addr()
        );
        // Reminder links point at the public address; without one, at this listener (fine on this machine only).
        let link_base = match &config.public_url {
            Some(u) => u.clone(),
            None => {
                if config.mail.smtp.is_some() {
                    tracing::warn!("public_url is not set: the sign-in links in reminder mails point at this machine's listener");
                }
                format!("http://{}", app.local_addr())
            }
        };
        match &config.mail.smtp {
            Some(relay) => println!("Reminder mail goes to the SMTP server {}", relay.describe()),
            None => println!(
                "No SMTP server is configured (smtp_url): reminder mail is written to {} and listed on /admin/mail",
                config.mail.outbox_dir.as_deref().map(|d| d.display().to_string()).unwrap_or_default()
            ),
        }
        let postman = Postman::new(store, config.mail.clone(), &link_base, &worker::worker_id())
            .map_err(start_failure)?;
        let worker = worker::start(postman);
        app.run_until(worker::stop_signal()).await.map_err(start_failure)?;
        // Let the mail in hand finish: an orderly stop does not cut a send off half-way. 25 s fits inside the
        // systemd unit's TimeoutStopSec (30 s); a send still going then shows as interrupted.
        worker.stop(Duration::from_secs(25)).await;
        Ok("ferd stopped".to_string())
    })
}

/// Starts the demo practice in a fresh temporary folder, serves it until stopped, and removes the folder.
pub fn demo(listen: &str) -> Result<String, Failure> {
    init_logging();
    let dir = std::env::temp_dir().join(format!("ferd-demo-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
    let result = runtime()?.block_on(async {
        let keys = Keyring::generate().map_err(start_failure)?;
        let url = format!("sqlite://{}", dir.join("demo.db").display());
        let store = Store::open(&url, keys, StoreOptions::default())
            .await
            .map_err(Failure::from_store)?;
        let started = std::time::Instant::now();
        let sign_ins = crate::demo::load_demo_practice(&store, ferd_store::now_ms())
            .await
            .map_err(Failure::from_store)?;
        // The demo sends no mail: reminders go to its outbox folder and are listed on /admin/mail.
        let mail = MailConfig {
            outbox_dir: Some(dir.join("outbox")),
            ..MailConfig::default()
        };
        let web = WebConfig {
            listen: listen.to_string(),
            demo: true,
            mail: mail.clone(),
            ..WebConfig::default()
        };
        spawn_retention(store.clone());
        let app = Application::build(web, store.clone()).await.map_err(start_failure)?;
        let address = format!("http://{}", app.local_addr());
        let postman = Postman::new(store, mail, &address, &worker::worker_id()).map_err(start_failure)?;
        let worker = worker::start(postman);
        println!("ferd demo: a practice with invented clients (loaded in {:.1} s), in {}", started.elapsed().as_secs_f64(), dir.display());
        println!();
        println!("  The public site (information pages and the inquiry form): {address}/");
        println!();
        println!("  Open {address}/login and sign in as:");
        for s in &sign_ins {
            println!("    {:<10} {:<34} password {}", s.role, s.email, s.password);
        }
        println!();
        println!("  Two-factor sign-in is turned off in the demo practice; a real practice requires it of staff.");
        println!("  Reminder e-mails are not sent: they are written to the outbox, listed for the admin on {address}/admin/mail.");
        println!("  Everything is deleted when ferd stops (Ctrl-C).");
        app.run_until(worker::stop_signal()).await.map_err(start_failure)?;
        worker.stop(Duration::from_secs(10)).await;
        // Give the pool a moment to close its connections before the folder goes.
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok("ferd demo stopped; its data is deleted".to_string())
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Deletes what the privacy notice promises to keep no longer (inquiries after a year, rate-limit counters after a
/// day): at start and then every hour. Several instances may each do it; the deletes are idempotent.
fn spawn_retention(store: Store) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3_600));
        loop {
            every.tick().await;
            match store.purge_expired_public_data(ferd_store::now_ms()).await {
                Ok(p) if p.inquiries > 0 => {
                    tracing::info!(inquiries = p.inquiries, "expired inquiries deleted")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not delete expired inquiries"),
            }
        }
    });
}

fn init_logging() {
    let level = match std::env::var("FERD_LOG").ok().as_deref() {
        Some("debug") => tracing::Level::DEBUG,
        Some("warn") => tracing::Level::WARN,
        Some("error") => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .try_init();
}
