//! # ferd-web
//!
//! The web application: the therapist's workspace, the client's portal, sign-in, and the health and metrics
//! endpoints. Pages are rendered on the server (askama, escaping by default) and work without JavaScript; charts
//! are server-rendered SVG.
//!
//! Data flows one way: a handler parses the request, calls ferd-store (which scores with ferd-core and audits), and
//! renders. [`Application::build`] binds the listener first, so tests can bind port 0 and ask for the port.

#![forbid(unsafe_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use ferd_store::{Store, ThrottlePolicy};
use tokio::net::TcpListener;

/// The address and network types of [`WebConfig::trusted_proxies`].
pub use ipnet;
pub mod api;
pub mod articles;
pub mod auth;
pub mod chart;
mod context;
mod error;
pub mod forest;
pub mod i18n;
mod ics;
pub mod mail;
mod metrics;
mod routes;
pub mod screening;
mod security;
pub mod site;
mod views;

pub use context::Ctx;
pub use error::AppError;

/// How the web application runs.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where to listen, `host:port`.
    pub listen: String,
    /// The address people reach ferd at, e.g. `https://ferd.example.no`. An `https` address turns on `Secure`
    /// cookies and HSTS, and invitation links are built on it; without one, links use the request's host.
    pub public_url: Option<String>,
    /// A browser session ends after this many minutes without a request.
    pub session_idle_minutes: i64,
    /// …and after this many hours in any case.
    pub session_max_hours: i64,
    /// Failed sign-ins before a temporary lock-out, per e-mail address and per client address.
    pub throttle: ThrottlePolicy,
    /// How long an invitation link works.
    pub invitation_days: i64,
    /// The time zone for users without a practice (clients); staff see their practice's.
    pub time_zone: String,
    /// Whether this is the demo (shown on every page, so nobody mistakes it for a real practice).
    pub demo: bool,
    /// The practice's own pages for the public site (`<lang>/<slug>.md`, and images in `media/`), each in place of
    /// the built-in page of the same language and name.
    pub content_dir: Option<std::path::PathBuf>,
    /// The practice the public site speaks for (its id); needed only when several practices share the database.
    pub site_practice: Option<String>,
    /// Where reminder mail goes (an SMTP server or the outbox folder), shown on the admin's mail page.
    pub mail: mail::MailConfig,
    /// Reverse proxies whose `X-Forwarded-For` is believed: a request arriving from one of these is counted (for
    /// sign-in throttling and the public form's limits) under the client address the proxy forwarded. Empty: the
    /// address of the TCP connection is used, and the header is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            session_idle_minutes: 30,
            session_max_hours: 12,
            throttle: ThrottlePolicy {
                max_failures: 5,
                window_ms: 15 * 60_000,
                lockout_ms: 15 * 60_000,
            },
            invitation_days: 7,
            time_zone: "Europe/Oslo".into(),
            demo: false,
            content_dir: None,
            site_practice: None,
            mail: mail::MailConfig::default(),
            trusted_proxies: Vec::new(),
        }
    }
}

impl WebConfig {
    /// Whether ferd is reached over TLS (decides `Secure` cookies and HSTS).
    pub fn behind_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    store: Store,
    config: WebConfig,
    i18n: Arc<i18n::I18n>,
    metrics: metrics::Metrics,
    time_zone: jiff::tz::TimeZone,
    site: site::Site,
    api_rate: api::RateLimiter,
}

impl AppState {
    fn store(&self) -> &Store {
        &self.0.store
    }
    fn config(&self) -> &WebConfig {
        &self.0.config
    }
    fn site(&self) -> &site::Site {
        &self.0.site
    }
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Messages(#[from] i18n::I18nError),
    #[error("unknown time zone {0}")]
    TimeZone(String),
    #[error("the public site's content: {0}")]
    Content(#[from] site::ContentError),
    #[error("the public site: {0}")]
    Site(String),
}

/// The bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Application {
    /// Binds the listener and builds the routes. Bind port 0 to get a free port (see [`Application::port`]).
    pub async fn build(config: WebConfig, store: Store) -> Result<Application, StartError> {
        let listener =
            TcpListener::bind(&config.listen)
                .await
                .map_err(|source| StartError::Listen {
                    address: config.listen.clone(),
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartError::Listen {
            address: config.listen.clone(),
            source,
        })?;
        let time_zone = jiff::tz::TimeZone::get(&config.time_zone)
            .map_err(|_| StartError::TimeZone(config.time_zone.clone()))?;
        let site = site::Site::load(config.content_dir.as_deref())?;
        // Refuse to start when the site cannot tell whose inquiries it takes (several practices, none named).
        store
            .site_practice(config.site_practice.as_deref())
            .await
            .map_err(|e| match e {
                ferd_store::StoreError::NotFound { .. } => StartError::Site(format!(
                    "site_practice '{}' names no practice in the database",
                    config.site_practice.as_deref().unwrap_or_default()
                )),
                other => StartError::Site(other.to_string()),
            })?;
        let state = AppState(Arc::new(Inner {
            store,
            i18n: Arc::new(i18n::I18n::load()?),
            metrics: metrics::Metrics::new(),
            config,
            time_zone,
            site,
            api_rate: api::RateLimiter::default(),
        }));
        let router = routes::router(state);
        Ok(Application {
            listener,
            router,
            addr,
        })
    }

    /// The port the application listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The address the application listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }

    /// Serves until Ctrl-C (or SIGTERM on Unix).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

async fn shutdown_signal() {
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
