//! API tokens: created by a practice admin and shown once, listed without the secret, used as a bearer token,
//! revoked, refused when missing or unknown, and limited per minute.

use crate::common::*;

/// The token shown once on the page after creating it.
fn shown_token(body: &str) -> Option<String> {
    let i = body.find("<code id=\"new-token\">")?;
    let rest = &body[i + 21..];
    Some(rest[..rest.find('<')?].to_string())
}

async fn whoami(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut r = reqwest::Client::new().get(format!("{}/api/v1/token", app.base));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r.send().await.unwrap()
}

#[tokio::test]
async fn an_admin_creates_a_token_that_is_shown_once_works_as_a_bearer_token_and_stops_when_revoked(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let mut a = app.signed_in(&app.admin).await;
        a.get("/admin/tokens").await;
        let p = a
            .post(
                "/admin/tokens",
                &[("name", "DIPS integration"), ("scope", "read")],
            )
            .await;
        assert_eq!(p.status, 200, "{}", p.body);
        let token = shown_token(&p.body).expect("the new token is on the page");
        assert!(token.starts_with("ferd_") && token.len() > 40, "{token}");
        // Listed afterwards by name and first characters, never in full.
        let list = a.get("/admin/tokens").await;
        assert!(list.body.contains("DIPS integration"));
        assert!(list
            .body
            .contains(&format!("<code>{}…</code>", &token[..10])));
        assert!(!list.body.contains(&token), "the token is shown only once");

        let r = whoami(&app, Some(&token)).await;
        assert_eq!(r.status().as_u16(), 200);
        let v: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert_eq!(
            (v["name"].as_str(), v["scope"].as_str()),
            (Some("DIPS integration"), Some("read"))
        );
        assert_eq!(
            v["practice"].as_str(),
            app.admin.actor.practice_id.as_deref()
        );
        // The use is audited under the token's name.
        let events = app.store.audit_events().await.unwrap();
        assert!(events
            .iter()
            .any(|e| e.action == "create" && e.entity == "api_token"));

        // Missing, malformed or unknown: 401 with a body that says what to send.
        for t in [None, Some("not-a-ferd-token"), Some("ferd_unknown")] {
            let r = whoami(&app, t).await;
            assert_eq!(r.status().as_u16(), 401, "{t:?}");
            assert_eq!(r.headers()["www-authenticate"], "Bearer realm=\"ferd\"");
            let v: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
            assert_eq!(v["error"], "unauthorized");
        }

        let id = app.store.api_tokens(&app.admin.actor).await.unwrap()[0]
            .id
            .clone();
        let p = a.post(&format!("/admin/tokens/{id}/revoke"), &[]).await;
        assert_eq!(p.location(), "/admin/tokens?notice=notice-token-revoked");
        assert_eq!(whoami(&app, Some(&token)).await.status().as_u16(), 401);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn only_a_practice_admin_manages_tokens_and_a_bad_name_creates_nothing() {
    let app = spawn("sqlite").await;
    let mut t = app.signed_in(&app.therapist).await;
    assert_eq!(t.get("/admin/tokens").await.status, 403);
    let mut a = app.signed_in(&app.admin).await;
    a.get("/admin/tokens").await;
    let p = a
        .post("/admin/tokens", &[("name", "  "), ("scope", "write")])
        .await;
    assert_eq!(p.status, 422);
    assert!(shown_token(&p.body).is_none());
    let p = a
        .post("/admin/tokens", &[("name", "x"), ("scope", "admin")])
        .await;
    assert_eq!(p.status, 400);
    assert!(app
        .store
        .api_tokens(&app.admin.actor)
        .await
        .unwrap()
        .is_empty());
    // Another practice's admin cannot revoke this practice's token.
    a.get("/admin/tokens").await;
    a.post("/admin/tokens", &[("name", "Export"), ("scope", "read")])
        .await;
    let id = app.store.api_tokens(&app.admin.actor).await.unwrap()[0]
        .id
        .clone();
    let mut f = app.signed_in(&app.foreign_therapist).await;
    f.get("/admin").await;
    assert_eq!(
        f.post(&format!("/admin/tokens/{id}/revoke"), &[])
            .await
            .status,
        404
    );
    assert!(app.store.api_tokens(&app.admin.actor).await.unwrap()[0]
        .revoked_at
        .is_none());
    app.cleanup().await;
}

#[tokio::test]
async fn a_token_gets_600_requests_a_minute_and_then_429_with_retry_after() {
    let app = spawn("sqlite").await;
    let mut a = app.signed_in(&app.admin).await;
    a.get("/admin/tokens").await;
    let p = a
        .post(
            "/admin/tokens",
            &[("name", "Busy script"), ("scope", "read")],
        )
        .await;
    let token = shown_token(&p.body).unwrap();
    let http = reqwest::Client::new();
    for n in 1..=ferd_web::api::REQUESTS_PER_MINUTE {
        let r = http
            .get(format!("{}/api/v1/token", app.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "request {n}");
    }
    let r = whoami(&app, Some(&token)).await;
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "60");
    app.cleanup().await;
}
