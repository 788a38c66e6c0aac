//! Behind a reverse proxy: the per-address limits count the client the trusted proxy forwarded, and a forwarded-for
//! header from anyone else changes nothing.

use ferd_web::site::form_start_token;

use crate::common::*;

fn inquiry(message: &str, started: &str) -> Vec<(String, String)> {
    [
        ("name", "Kari Nordmann"),
        ("email", "kari@example.no"),
        ("language", "nb"),
        ("message", message),
        ("consent", "yes"),
        ("website", ""),
        ("started", started),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Sends the contact form from `b` and answers the status.
async fn send(b: &mut Browser, app: &TestApp, message: &str) -> u16 {
    b.get("/nb/contact").await;
    let started = form_start_token(app.store.keys(), ferd_store::now_ms() - 5_000);
    let mut form = inquiry(message, &started);
    form.push(("csrf".into(), b.csrf.clone().unwrap_or_default()));
    b.post_raw("/nb/contact", &form).await.status
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance_of_inquiries() {
    let app = spawn_with("sqlite", |c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap(), "::1/128".parse().unwrap()];
    })
    .await;
    let mut first = app.browser_forwarded_for("203.0.113.7");
    for n in 1..=5 {
        assert_eq!(send(&mut first, &app, &format!("Melding {n}")).await, 303);
    }
    assert_eq!(
        send(&mut first, &app, "Melding 6").await,
        429,
        "the sixth from one client within the hour"
    );
    // Another visitor behind the same proxy is not held back by the first.
    let mut second = app.browser_forwarded_for("203.0.113.8");
    assert_eq!(send(&mut second, &app, "Fra en annen").await, 303);
    // A visitor who writes the first one's address into the header is still counted under the address the proxy
    // appended (the nearest untrusted hop).
    let mut forger = app.browser_forwarded_for("203.0.113.7, 198.51.100.20");
    assert_eq!(send(&mut forger, &app, "Forfalsket").await, 303);
    assert_eq!(
        app.store
            .inquiries(&app.therapist.actor)
            .await
            .unwrap()
            .len(),
        7
    );
    app.cleanup().await;
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarded_for_header_is_ignored_and_cannot_dodge_the_limit() {
    let app = spawn("sqlite").await;
    for n in 1..=5 {
        let mut b = app.browser_forwarded_for(&format!("203.0.113.{n}"));
        assert_eq!(send(&mut b, &app, &format!("Melding {n}")).await, 303);
    }
    let mut sixth = app.browser_forwarded_for("203.0.113.99");
    assert_eq!(
        send(&mut sixth, &app, "Melding 6").await,
        429,
        "every request is counted under the connection's address"
    );
    app.cleanup().await;
}
