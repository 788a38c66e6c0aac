//! Sign-in, sessions, CSRF, headers, escaping, limits, health and metrics.

use crate::common::*;

#[tokio::test]
async fn wrong_passwords_lock_the_account_out_for_a_while_even_for_the_right_password() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    let p = b.sign_in(&app.therapist.email, "wrong password!!").await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("role=\"alert\""));
    for _ in 0..4 {
        b.post(
            "/login",
            &[
                ("email", &app.therapist.email),
                ("password", "still wrong!!"),
            ],
        )
        .await;
    }
    let p = b
        .post(
            "/login",
            &[("email", &app.therapist.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 429, "locked out after five failures");
    // Another user is not locked out (the address limit is higher than the account limit).
    let mut other = app.browser();
    assert_eq!(
        other.sign_in(&app.therapist2.email, PASSWORD).await.status,
        303
    );
    // Failures are audited without the e-mail address typed.
    let events = app.store.audit_events().await.unwrap();
    assert!(
        events
            .iter()
            .filter(|e| e.action == "sign-in-failed")
            .count()
            >= 5
    );
    assert!(events.iter().all(|e| !e.entity_id.contains('@')));
    app.cleanup().await;
}

#[tokio::test]
async fn unknown_addresses_and_disabled_users_cannot_sign_in() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    assert_eq!(b.sign_in("nobody@example.org", PASSWORD).await.status, 401);
    app.store
        .set_user_disabled(&app.admin.actor, &app.therapist.id, true)
        .await
        .unwrap();
    assert_eq!(b.sign_in(&app.therapist.email, PASSWORD).await.status, 401);
    app.cleanup().await;
}

#[tokio::test]
async fn staff_set_up_and_use_a_second_factor_when_the_practice_requires_it_and_codes_work_once() {
    let app = spawn("sqlite").await;
    app.store
        .set_practice_two_factor(&app.admin.actor, true)
        .await
        .unwrap();
    let mut b = app.browser();
    let p = b.sign_in(&app.therapist.email, PASSWORD).await;
    assert_eq!(
        p.location(),
        "/account/two-factor",
        "a therapist without a second factor must set one up"
    );
    assert_eq!(
        b.get("/dashboard").await.status,
        303,
        "nothing else is open before that"
    );
    let page = b.get("/account/two-factor").await;
    let start = page.body.find("data-secret=\"").unwrap() + 13;
    let secret = page.body[start..start + page.body[start..].find('"').unwrap()].to_string();
    let now = (ferd_store::now_ms() / 1000) as u64;
    assert_eq!(
        b.post("/account/two-factor", &[("code", "000000")])
            .await
            .status,
        401
    );
    let r = b
        .post("/account/two-factor", &[("code", &totp_code(&secret, now))])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(b.get("/dashboard").await.status, 200);

    // Next sign-in asks for a code; the code already used is refused, the next step's code is accepted.
    let mut b2 = app.browser();
    assert_eq!(
        b2.sign_in(&app.therapist.email, PASSWORD).await.location(),
        "/login/two-factor"
    );
    assert_eq!(b2.get("/dashboard").await.status, 303);
    b2.get("/login/two-factor").await;
    assert_eq!(
        b2.post("/login/two-factor", &[("code", &totp_code(&secret, now))])
            .await
            .status,
        401,
        "a code works once"
    );
    // The next step from the server's clock now, not from when the test began: on a loaded machine the steps
    // between may be more than the one step of drift ferd allows.
    let later = (ferd_store::now_ms() / 1000) as u64 + 30;
    let r = b2
        .post("/login/two-factor", &[("code", &totp_code(&secret, later))])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(b2.get("/dashboard").await.status, 200);

    // The admin resets the second factor (a lost phone): the therapist's sessions end, and set-up is required again.
    let mut admin = app.browser();
    assert_eq!(
        admin.sign_in(&app.admin.email, PASSWORD).await.location(),
        "/account/two-factor"
    );
    app.store
        .set_practice_two_factor(&app.admin.actor, false)
        .await
        .unwrap();
    let mut admin = app.signed_in(&app.admin).await;
    admin.get("/admin").await;
    assert_eq!(
        admin
            .post(
                &format!("/admin/users/{}/two-factor", app.therapist.id),
                &[]
            )
            .await
            .status,
        303
    );
    assert_eq!(
        b2.get("/dashboard").await.status,
        303,
        "the reset ended the therapist's sessions"
    );
    app.store
        .set_practice_two_factor(&app.admin.actor, true)
        .await
        .unwrap();
    let mut b3 = app.browser();
    assert_eq!(
        b3.sign_in(&app.therapist.email, PASSWORD).await.location(),
        "/account/two-factor"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn an_admin_resets_a_password_shown_once_and_sign_out_everywhere_ends_every_session() {
    let app = spawn("sqlite").await;
    let mut t1 = app.signed_in(&app.therapist).await;
    let mut t2 = app.signed_in(&app.therapist).await;
    t1.get("/account").await;
    assert_eq!(t1.post("/logout/everywhere", &[]).await.status, 303);
    assert_eq!(
        t2.get("/dashboard").await.status,
        303,
        "the other browser is signed out too"
    );

    let mut admin = app.signed_in(&app.admin).await;
    admin.get("/admin").await;
    let p = admin
        .post(&format!("/admin/users/{}/password", app.therapist.id), &[])
        .await;
    assert_eq!(p.status, 200);
    let start = p.body.find("id=\"temporary-password\">").unwrap() + 24;
    let temporary = p.body[start..start + p.body[start..].find('<').unwrap()].to_string();
    assert_eq!(temporary.len(), 20);
    let mut b = app.browser();
    assert_eq!(
        b.sign_in(&app.therapist.email, PASSWORD).await.status,
        401,
        "the old password no longer works"
    );
    assert_eq!(
        b.sign_in(&app.therapist.email, &temporary).await.status,
        303
    );
    app.cleanup().await;
}

#[tokio::test]
async fn session_cookies_are_http_only_same_site_and_secure_behind_tls_with_hsts() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    b.get("/login").await;
    let p = b
        .post(
            "/login",
            &[("email", &app.therapist.email), ("password", PASSWORD)],
        )
        .await;
    let cookie = p
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("ferd_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Secure"), "plain HTTP on this machine");
    assert!(p.headers.get("strict-transport-security").is_none());
    app.cleanup().await;

    let app = spawn_with("sqlite", |c| {
        c.public_url = Some("https://ferd.example.no".into())
    })
    .await;
    let mut b = app.browser();
    let p = b.get("/login").await;
    assert!(p.headers.get("strict-transport-security").is_some());
    let csrf = p
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-ferd_csrf="))
        .unwrap();
    assert!(csrf.contains("Secure"));
    let p = b
        .post(
            "/login",
            &[("email", &app.therapist.email), ("password", PASSWORD)],
        )
        .await;
    let cookie = p
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-ferd_session="))
        .unwrap();
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"));
    app.cleanup().await;
}

#[tokio::test]
async fn state_changing_requests_without_the_right_csrf_token_are_refused() {
    let app = spawn("sqlite").await;
    let mut t = app.signed_in(&app.therapist).await;
    t.get("/dashboard").await;
    let path = format!("/clients/{}/journey/start", app.client_id);
    let none = t
        .post_raw(&path, &[("phase".into(), "screening".into())])
        .await;
    assert_eq!(none.status, 403);
    let wrong = t
        .post_raw(
            &path,
            &[
                ("phase".into(), "screening".into()),
                ("csrf".into(), "x".repeat(43)),
            ],
        )
        .await;
    assert_eq!(wrong.status, 403);
    // The pre-sign-in token does not work once signed in.
    let mut anon = app.browser();
    anon.get("/login").await;
    let stale = anon.csrf.clone().unwrap();
    let wrong = t
        .post_raw(
            &path,
            &[("phase".into(), "screening".into()), ("csrf".into(), stale)],
        )
        .await;
    assert_eq!(wrong.status, 403);
    assert!(
        app.store
            .journeys(&app.therapist.actor, &app.client_id)
            .await
            .unwrap()
            .is_empty(),
        "nothing changed"
    );
    // A form sent as JSON or without a body is refused too.
    let mut fresh = app.browser();
    assert_eq!(
        fresh
            .post_raw("/login", &[("email".into(), "a".into())])
            .await
            .status,
        403,
        "no token cookie yet"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    let nowhere = b.get("/nowhere").await;
    assert_eq!(nowhere.status, 404);
    assert!(
        nowhere.body.contains("<html lang=\"nb\">") && nowhere.body.contains("<h1>"),
        "an unknown address gets the error page"
    );
    for path in ["/login", "/nowhere", "/healthz", "/static/ferd.css"] {
        let p = b.get(path).await;
        let csp = p
            .headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(p.headers.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(p.headers.get("referrer-policy").unwrap(), "no-referrer");
    }
    let p = b.get("/login").await;
    assert_eq!(p.headers.get("cache-control").unwrap(), "no-store");
    assert!(!p.body.contains("<script"), "no script anywhere");
    assert!(
        !p.body.contains("style="),
        "no inline style (the CSP forbids it)"
    );
    app.cleanup().await;
}

const PAYLOAD: &str = "<script>alert('x')</script>\"'><img src=x onerror=alert(1)>";

#[tokio::test]
async fn script_and_markup_typed_into_any_text_field_come_back_escaped() {
    let app = spawn("sqlite").await;
    let mut t = app.signed_in(&app.therapist).await;
    t.get("/clients/new").await;
    let r = t
        .post(
            "/clients/new",
            &[
                ("name", PAYLOAD),
                ("email", ""),
                ("phone", PAYLOAD),
                ("birth_year", ""),
                ("emergency_contact", PAYLOAD),
                ("preferred_language", "nb"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let path = r.location().split('?').next().unwrap().to_string();
    let id = path.trim_start_matches("/clients/").to_string();
    t.get(&path).await;
    t.post(
        &format!("{path}/sessions"),
        &[
            ("kind", "intake"),
            ("date", "2030-01-01"),
            ("time", "10:00"),
            ("duration_minutes", "60"),
            ("place", PAYLOAD),
            ("video_link", ""),
        ],
    )
    .await;
    t.post(
        &format!("{path}/assessments"),
        &[
            ("instrument", "gad-7"),
            ("point", PAYLOAD),
            ("when", "now"),
            ("first_date", ""),
            ("every_days", ""),
            ("count", ""),
        ],
    )
    .await;
    let session = app.store.sessions(&app.therapist.actor, &id).await.unwrap()[0]
        .id
        .clone();
    t.post(
        &format!("/sessions/{session}"),
        &[("status", "held"), ("note", PAYLOAD), ("client_id", &id)],
    )
    .await;
    let practice = app.therapist.actor.practice_id.clone().unwrap();
    app.store
        .submit_inquiry(
            ferd_store::NewInquiry {
                practice_id: practice,
                name: PAYLOAD.into(),
                email: "x@example.org".into(),
                language: "nb".into(),
                message: PAYLOAD.into(),
                consent_version: None,
                ..Default::default()
            },
            "t",
        )
        .await
        .unwrap();
    let mut c = app.signed_in(&app.client).await;
    c.get("/portal/journal").await;
    c.post("/portal/journal", &[("body", PAYLOAD), ("shared", "1")])
        .await;
    for p in [
        path.as_str(),
        "/clients",
        "/dashboard",
        "/inquiries",
        "/clients?q=%3Cscript%3E",
    ] {
        let page = t.get(p).await;
        assert_eq!(page.status, 200, "{p}");
        assert!(
            !page.body.contains("<script>alert"),
            "{p} shows a raw script tag"
        );
        assert!(!page.body.contains("<img src=x"), "{p} shows raw markup");
    }
    let client_page = t.get(&path).await;
    assert!(
        client_page.body.matches("&#60;script&#62;").count()
            + client_page.body.matches("&lt;script&gt;").count()
            >= 4,
        "the payload is shown, escaped"
    );
    let journal = c.get("/portal/journal").await;
    assert!(!journal.body.contains("<script>alert"));
    // The language switch's hidden "back" field carries the path, escaped too.
    let odd = t.get("/clients/%22%3E%3Cscript%3E").await;
    assert!(!odd.body.contains("\"><script>"));
    app.cleanup().await;
}

#[tokio::test]
async fn oversized_requests_are_refused_and_nothing_is_stored() {
    let app = spawn("sqlite").await;
    let mut c = app.signed_in(&app.client).await;
    c.get("/portal/journal").await;
    let big = "x".repeat(2 * 1024 * 1024);
    let p = c.post("/portal/journal", &[("body", &big)]).await;
    assert!(p.status == 413 || p.status == 400, "{}", p.status);
    let long = "y".repeat(100_001);
    c.get("/portal/journal").await;
    let p = c.post("/portal/journal", &[("body", &long)]).await;
    assert_eq!(p.status, 422);
    assert!(app
        .store
        .journal(&app.client.actor, &app.client_id)
        .await
        .unwrap()
        .is_empty());
    app.cleanup().await;
}

#[tokio::test]
async fn health_readiness_and_metrics_answer_without_personal_data() {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    assert_eq!(b.get("/healthz").await.status, 200);
    assert_eq!(b.get("/readyz").await.status, 200);
    let mut t = app.signed_in(&app.therapist).await;
    t.get(&format!("/clients/{}", app.client_id)).await;
    t.get("/clients?q=Kari").await;
    let m = b.get("/metrics").await;
    assert_eq!(m.status, 200);
    assert!(m.body.contains("ferd_http_requests_total"), "{}", m.body);
    assert!(m.body.contains("route=\"/clients/{id}\""));
    assert!(
        !m.body.contains(&app.client_id) && !m.body.contains("Kari"),
        "no ids or names in metrics"
    );
    assert!(m.body.contains("ferd_http_request_duration_seconds_bucket"));
    app.store.close().await;
    assert_eq!(
        b.get("/readyz").await.status,
        503,
        "not ready without the database"
    );
    app.cleanup().await;
}
