//! The JSON API under /api/v1, over HTTP with real API tokens, on SQLite and PostgreSQL: inquiries, scheduling
//! (with the medicine-session guard), alerts (with the suicide-risk rule), the minimal client list; read-only
//! tokens refused before a body is read, another practice's records not found, strict parsing that names the
//! field and stores nothing; and the OpenAPI document checked against what the router serves.

use ferd_store::{Actor, TokenScope};
use serde_json::{json, Value};

use crate::common::*;

/// A token of `who`'s practice, made as the administration page makes one.
async fn token(app: &TestApp, who: &Person, scope: TokenScope) -> String {
    let t = format!("ferd_{}", ferd_web::auth::random_token());
    app.store
        .create_api_token(
            &who.actor,
            "API test",
            scope,
            &ferd_web::auth::token_hash(&t),
            &t[..10],
        )
        .await
        .unwrap();
    t
}

/// An answer, read.
#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: String,
    location: String,
    allow: String,
    json: Value,
}

impl Reply {
    /// The problem's field, for a refusal.
    fn field(&self) -> &str {
        self.json["field"].as_str().unwrap_or("")
    }
}

/// A client of the JSON API with one token.
struct Api {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Api {
    fn new(app: &TestApp, token: Option<String>) -> Api {
        Api {
            base: app.base.clone(),
            token,
            http: reqwest::Client::new(),
        }
    }

    async fn send(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Reply {
        let mut r = self.http.request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{path}", self.base),
        );
        if let Some(t) = &self.token {
            r = r.bearer_auth(t);
        }
        if let Some((content_type, bytes)) = body {
            if !content_type.is_empty() {
                r = r.header("content-type", content_type);
            }
            r = r.body(bytes);
        }
        let resp = r.send().await.unwrap();
        let header = |n: &str| {
            resp.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let (content_type, location, allow) =
            (header("content-type"), header("location"), header("allow"));
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply {
            status,
            content_type,
            location,
            allow,
            json,
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(
            "POST",
            path,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(
            "PATCH",
            path,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    async fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, None).await
    }
}

/// A refusal is a JSON problem with a code and a message, and names `field` when given.
fn assert_problem(r: &Reply, status: u16, field: Option<&str>, what: &str) {
    assert_eq!(r.status, status, "{what}: {:?}", r.json);
    assert_eq!(r.content_type, "application/json", "{what}");
    assert!(
        r.json["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{what}: {:?}",
        r.json
    );
    assert!(
        r.json["message"].as_str().is_some_and(|m| m.len() >= 10),
        "{what}: {:?}",
        r.json
    );
    if let Some(f) = field {
        assert_eq!(r.field(), f, "{what}: {:?}", r.json);
    }
}

fn phone_inquiry() -> Value {
    json!({
        "name": "Kari Nordmann",
        "email": "Kari.Nordmann@Example.org",
        "phone": "+47 000 00 000",
        "language": "nb",
        "message": "Ringte i dag: lurer på ventetid og pris.\nØnsker svar på e-post."
    })
}

#[tokio::test]
async fn inquiries_are_listed_by_status_read_changed_and_deleted_and_one_taken_by_phone_has_no_consent(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
        // One from the public form, with consent.
        let practice = app.admin.actor.practice_id.clone().unwrap();
        app.store
            .submit_inquiry(
                ferd_store::NewInquiry {
                    practice_id: practice,
                    name: "Per Skjema".into(),
                    email: "per@example.org".into(),
                    language: "en".into(),
                    message: "From the form.".into(),
                    consent_version: Some("2026-01-01".into()),
                    ..Default::default()
                },
                "t",
            )
            .await
            .unwrap();

        let r = api.post("/api/v1/inquiries", phone_inquiry()).await;
        assert_eq!(r.status, 201, "{backend}: {:?}", r.json);
        let id = r.json["id"].as_str().unwrap().to_string();
        assert_eq!(r.location, format!("/api/v1/inquiries/{id}"));
        assert_eq!(r.json["email"], "kari.nordmann@example.org");
        assert_eq!(r.json["status"], "new");
        assert_eq!(
            r.json["consent_at"],
            Value::Null,
            "taken by phone: no consent"
        );
        assert!(r.json["received_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            r.json["message"],
            "Ringte i dag: lurer på ventetid og pris.\nØnsker svar på e-post."
        );

        let list = api.get("/api/v1/inquiries").await;
        assert_eq!(list.status, 200);
        assert_eq!(list.json["inquiries"].as_array().unwrap().len(), 2);
        assert_eq!(list.json["truncated"], false);
        let form = list.json["inquiries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == "Per Skjema")
            .unwrap();
        assert!(form["consent_at"].as_str().is_some());
        assert_eq!(form["consent_version"], "2026-01-01");
        let one = api.get("/api/v1/inquiries?limit=1").await;
        assert_eq!(one.json["inquiries"].as_array().unwrap().len(), 1);
        assert_eq!(one.json["truncated"], true, "{backend}");

        let r = api
            .patch(
                &format!("/api/v1/inquiries/{id}"),
                json!({"status": "answered"}),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.json);
        assert_eq!(r.json["status"], "answered");
        let answered = api.get("/api/v1/inquiries?status=answered").await;
        assert_eq!(answered.json["inquiries"].as_array().unwrap().len(), 1);
        assert_eq!(answered.json["inquiries"][0]["id"], id.as_str());
        let new = api.get("/api/v1/inquiries?status=new").await;
        assert_eq!(new.json["inquiries"][0]["name"], "Per Skjema");
        assert_eq!(
            api.get(&format!("/api/v1/inquiries/{id}")).await.json["status"],
            "answered"
        );

        let r = api.delete(&format!("/api/v1/inquiries/{id}")).await;
        assert_eq!(r.status, 204);
        assert_problem(
            &api.get(&format!("/api/v1/inquiries/{id}")).await,
            404,
            None,
            "deleted",
        );
        assert_problem(
            &api.delete(&format!("/api/v1/inquiries/{id}")).await,
            404,
            None,
            "deleted twice",
        );

        // Every access is audited under the token's name, never as a person.
        let events = app.store.audit_events().await.unwrap();
        for action in ["create", "list", "read", "update", "delete"] {
            assert!(
                events.iter().any(|e| e.entity == "inquiry"
                    && e.action == action
                    && e.actor_id.starts_with("api-token:")),
                "{backend}: {action} audited"
            );
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_read_only_token_reads_but_every_change_is_403_before_the_body_is_read() {
    for backend in backends() {
        let app = spawn(backend).await;
        let read = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Read).await));
        assert_eq!(read.get("/api/v1/inquiries").await.status, 200);
        assert_eq!(read.get("/api/v1/clients").await.status, 200);
        assert_eq!(read.get("/api/v1/sessions").await.status, 200);
        assert_eq!(read.get("/api/v1/alerts").await.status, 200);
        let id = "00000000-0000-4000-8000-000000000000";
        for (method, path) in [
            ("POST", "/api/v1/inquiries".to_string()),
            ("PATCH", format!("/api/v1/inquiries/{id}")),
            ("DELETE", format!("/api/v1/inquiries/{id}")),
            ("POST", format!("/api/v1/inquiries/{id}/client")),
            ("POST", "/api/v1/sessions".to_string()),
            ("POST", "/api/v1/medicine-sessions".to_string()),
            ("POST", format!("/api/v1/sessions/{id}/reschedule")),
            ("POST", format!("/api/v1/sessions/{id}/outcome")),
            ("POST", format!("/api/v1/alerts/{id}/acknowledge")),
        ] {
            // Even a body that is not JSON at all: the token is refused first.
            let r = read
                .send(method, &path, Some(("text/plain", b"not json".to_vec())))
                .await;
            assert_problem(&r, 403, None, &format!("{method} {path}"));
            assert_eq!(r.json["error"], "forbidden");
        }
        let r = read.post("/api/v1/inquiries", phone_inquiry()).await;
        assert_eq!(r.status, 403);
        let stored = app.store.inquiries(&app.admin.actor).await.unwrap();
        assert!(stored.is_empty(), "{backend}: nothing stored");

        // No token, or a revoked one: 401 with what to send.
        let none = Api::new(&app, None);
        let r = none.get("/api/v1/sessions").await;
        assert_problem(&r, 401, None, "no token");
        let t = token(&app, &app.admin, TokenScope::Write).await;
        let tokens = app.store.api_tokens(&app.admin.actor).await.unwrap();
        app.store
            .revoke_api_token(&app.admin.actor, &tokens[0].id)
            .await
            .unwrap();
        let r = Api::new(&app, Some(t))
            .post("/api/v1/inquiries", phone_inquiry())
            .await;
        assert_problem(&r, 401, None, "revoked");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn another_practices_records_are_not_found_and_stay_as_they_were() {
    for backend in backends() {
        let app = spawn(backend).await;
        let ours = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
        let theirs = Api::new(
            &app,
            Some(token(&app, &app.foreign_therapist, TokenScope::Write).await),
        );
        let inquiry = ours.post("/api/v1/inquiries", phone_inquiry()).await.json["id"]
            .as_str()
            .unwrap()
            .to_string();
        let c = app.client_id.clone();
        let session = ours
            .post(
                "/api/v1/sessions",
                json!({"client_id": c, "kind": "intake", "start": "2030-01-07T10:00:00+01:00", "duration_minutes": 60}),
            )
            .await;
        assert_eq!(session.status, 201, "{backend}: {:?}", session.json);
        let session = session.json["id"].as_str().unwrap().to_string();
        ours.post(
            &format!("/api/v1/sessions/{session}/outcome"),
            json!({"status": "missed"}),
        )
        .await;
        let alert = ours.get("/api/v1/alerts").await.json["alerts"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();

        for path in [
            format!("/api/v1/inquiries/{inquiry}"),
            format!("/api/v1/clients/{c}"),
            format!("/api/v1/sessions/{session}"),
            format!("/api/v1/alerts/{alert}"),
            format!("/api/v1/sessions?client={c}"),
            format!("/api/v1/alerts?client={c}"),
        ] {
            assert_problem(&theirs.get(&path).await, 404, None, &path);
        }
        for (path, body) in [
            (
                format!("/api/v1/inquiries/{inquiry}/client"),
                json!({"protocol": "mdma-at"}),
            ),
            (
                "/api/v1/sessions".to_string(),
                json!({"client_id": c, "kind": "intake", "start": "2030-01-08T10:00:00Z", "duration_minutes": 60}),
            ),
            (
                format!("/api/v1/sessions/{session}/reschedule"),
                json!({"start": "2030-01-09T10:00:00Z"}),
            ),
            (
                format!("/api/v1/sessions/{session}/outcome"),
                json!({"status": "held"}),
            ),
            (
                format!("/api/v1/alerts/{alert}/acknowledge"),
                json!({"acknowledged_by": "bo@b.example.org", "action": "x"}),
            ),
        ] {
            assert_problem(&theirs.post(&path, body).await, 404, None, &path);
        }
        assert_problem(
            &theirs
                .patch(
                    &format!("/api/v1/inquiries/{inquiry}"),
                    json!({"status": "closed"}),
                )
                .await,
            404,
            None,
            "patch",
        );
        assert_problem(
            &theirs.delete(&format!("/api/v1/inquiries/{inquiry}")).await,
            404,
            None,
            "delete",
        );
        // Their lists hold none of ours; ours are as they were.
        for (path, key) in [
            ("/api/v1/inquiries", "inquiries"),
            ("/api/v1/clients", "clients"),
            ("/api/v1/sessions", "sessions"),
            ("/api/v1/alerts?state=all", "alerts"),
        ] {
            let list = theirs.get(path).await.json;
            assert!(
                list[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|x| x["id"] != inquiry.as_str()
                        && x["id"] != c.as_str()
                        && x["id"] != session.as_str()
                        && x["id"] != alert.as_str()),
                "{backend}: {path}"
            );
        }
        assert_eq!(
            ours.get(&format!("/api/v1/inquiries/{inquiry}")).await.json["status"],
            "new"
        );
        let s = ours.get(&format!("/api/v1/sessions/{session}")).await.json;
        assert_eq!(
            (s["status"].as_str(), s["start"].as_str()),
            (Some("missed"), Some("2030-01-07T09:00:00Z"))
        );
        assert_eq!(
            ours.get(&format!("/api/v1/alerts/{alert}")).await.json["acknowledged_at"],
            Value::Null
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_stored() {
    for backend in backends() {
        let app = spawn(backend).await;
        let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
        let c = app.client_id.clone();
        let with = |key: &str, value: Value| {
            let mut b = phone_inquiry();
            b[key] = value;
            b
        };
        let mut without_name = phone_inquiry();
        without_name.as_object_mut().unwrap().remove("name");
        for (body, field) in [
            (with("colour", json!("blue")), "colour"),
            (without_name, "name"),
            (with("name", json!("   ")), "name"),
            (with("name", json!("x".repeat(201))), "name"),
            (with("name", json!("Kari\u{0}Nordmann")), "name"),
            (with("name", json!(42)), "name"),
            (with("email", json!("kari@")), "email"),
            (with("email", json!("kari example.org")), "email"),
            (with("phone", json!("1".repeat(41))), "phone"),
            (with("language", json!("de")), "language"),
            (with("message", json!("")), "message"),
            (with("message", json!("a\u{7}b")), "message"),
            (with("message", json!("x".repeat(20_001))), "message"),
        ] {
            let r = api.post("/api/v1/inquiries", body.clone()).await;
            assert_problem(&r, 422, Some(field), &format!("{backend}: {body}"));
        }
        assert!(app
            .store
            .inquiries(&app.admin.actor)
            .await
            .unwrap()
            .is_empty());

        let session = |key: &str, value: Value| {
            let mut b = json!({"client_id": c, "kind": "preparation", "start": "2030-01-07T10:00:00+01:00", "duration_minutes": 90});
            b[key] = value;
            b
        };
        for (body, field) in [
            (session("kind", json!("medicine")), "kind"),
            (session("kind", json!("therapy")), "kind"),
            (session("start", json!("2030-01-07 10:00")), "start"),
            (session("start", json!("2030-01-07T10:00:00")), "start"),
            (session("start", json!("2030-02-30T10:00:00Z")), "start"),
            (session("duration_minutes", json!(0)), "duration_minutes"),
            (session("duration_minutes", json!(1441)), "duration_minutes"),
            (session("duration_minutes", json!(90.5)), "duration_minutes"),
            (session("duration_minutes", json!("90")), "duration_minutes"),
            (
                session("video_link", json!("http://meet.example.org/x")),
                "video_link",
            ),
            (session("place", json!("Rom\n2")), "place"),
            (session("note", json!("a session note")), "note"),
        ] {
            let r = api.post("/api/v1/sessions", body.clone()).await;
            assert_problem(&r, 422, Some(field), &format!("{backend}: {body}"));
        }
        // A whole number written with a fraction is a whole number (JSON Schema's integer).
        let r = api
            .post("/api/v1/sessions", session("duration_minutes", json!(90.0)))
            .await;
        assert_eq!(r.status, 201, "{:?}", r.json);
        assert_eq!(r.json["duration_minutes"], 90);
        // An unknown client is not found, naming the field.
        let r = api
            .post(
                "/api/v1/sessions",
                session("client_id", json!("00000000-0000-4000-8000-000000000000")),
            )
            .await;
        assert_problem(&r, 404, Some("client_id"), "unknown client");
        let r = api
            .post("/api/v1/sessions", session("client_id", json!("../etc")))
            .await;
        assert_problem(&r, 404, Some("client_id"), "not an id");
        let stored = app.store.sessions(&app.admin.actor, &c).await.unwrap();
        assert_eq!(stored.len(), 1, "{backend}: only the valid one");

        // Query parameters: unknown, malformed or out of range.
        for (path, field) in [
            ("/api/v1/inquiries?state=new", "state"),
            ("/api/v1/inquiries?status=open", "status"),
            ("/api/v1/inquiries?limit=0", "limit"),
            ("/api/v1/inquiries?limit=1001", "limit"),
            ("/api/v1/inquiries?limit=ten", "limit"),
            ("/api/v1/sessions?from=yesterday", "from"),
            ("/api/v1/sessions?to=2030-01-01", "to"),
            ("/api/v1/sessions?kind=therapy", "kind"),
            ("/api/v1/alerts?state=closed", "state"),
            ("/api/v1/clients?phase=finished", "phase"),
        ] {
            assert_problem(&api.get(path).await, 422, Some(field), path);
        }
        // Ids that are not ids are not found, without asking the database.
        for path in [
            "/api/v1/inquiries/%00",
            "/api/v1/clients/'%20OR%201=1",
            "/api/v1/sessions/x%2Fy",
        ] {
            assert_problem(&api.get(path).await, 404, None, path);
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415_or_400_and_too_large_is_413() {
    let app = spawn("sqlite").await;
    let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
    let body = phone_inquiry().to_string().into_bytes();
    for content_type in [
        "",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/jsonx",
    ] {
        let r = api
            .send(
                "POST",
                "/api/v1/inquiries",
                Some((content_type, body.clone())),
            )
            .await;
        assert_problem(&r, 415, None, content_type);
        assert_eq!(r.json["error"], "unsupported-media-type");
    }
    let r = api
        .send(
            "POST",
            "/api/v1/inquiries",
            Some(("Application/JSON; charset=utf-8", body.clone())),
        )
        .await;
    assert_eq!(
        r.status, 201,
        "the media type's case and parameters do not matter"
    );
    let trailing = format!("{} {{}}", phone_inquiry()).into_bytes();
    for bad in [&b""[..], b"{", b"{\"name\": }", &trailing, b"\xff"] {
        let r = api
            .send(
                "POST",
                "/api/v1/inquiries",
                Some(("application/json", bad.to_vec())),
            )
            .await;
        assert_problem(&r, 400, None, &String::from_utf8_lossy(bad));
        assert_eq!(r.json["error"], "invalid-json");
    }
    for not_an_object in ["[]", "\"x\"", "null"] {
        let r = api
            .send(
                "POST",
                "/api/v1/inquiries",
                Some(("application/json", not_an_object.as_bytes().to_vec())),
            )
            .await;
        assert_problem(&r, 422, None, not_an_object);
    }
    let huge =
        json!({"name": "x", "email": "a@b.c", "language": "nb", "message": "x".repeat(1_100_000)});
    // Refused before the API reads it (by the server-wide body limit, whose answer is plain text).
    let r = api.post("/api/v1/inquiries", huge).await;
    assert_eq!(r.status, 413, "{:?}", r.json);
    assert_eq!(
        app.store.inquiries(&app.admin.actor).await.unwrap().len(),
        1
    );
    app.cleanup().await;
}

#[tokio::test]
async fn sessions_are_scheduled_listed_by_client_and_range_moved_and_their_outcome_recorded() {
    for backend in backends() {
        let app = spawn(backend).await;
        let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
        let c = app.client_id.clone();
        let other = app.other_client_id.clone();
        let mut ids = Vec::new();
        for (client, kind, start) in [
            (&c, "intake", "2030-01-07T10:00:00+01:00"),
            (&c, "preparation", "2030-01-14T10:00:00+01:00"),
            (&other, "intake", "2030-01-08T12:00:00Z"),
        ] {
            let r = api
                .post(
                    "/api/v1/sessions",
                    json!({"client_id": client, "kind": kind, "start": start, "duration_minutes": 90, "place": "Rom 2"}),
                )
                .await;
            assert_eq!(r.status, 201, "{backend}: {:?}", r.json);
            assert_eq!(
                r.location,
                format!("/api/v1/sessions/{}", r.json["id"].as_str().unwrap())
            );
            assert_eq!(r.json["status"], "planned");
            assert_eq!(r.json["contact"], "in-person");
            ids.push(r.json["id"].as_str().unwrap().to_string());
        }
        // Assigned to the client's therapist, not to the token.
        let stored = app.store.sessions(&app.therapist.actor, &c).await.unwrap();
        assert!(stored
            .iter()
            .all(|s| s.therapist_id.as_deref() == Some(app.therapist.id.as_str())));
        let video = api
            .post(
                "/api/v1/sessions",
                json!({"client_id": c, "kind": "follow-up", "start": "2030-03-01T10:00:00Z", "duration_minutes": 30, "video_link": "https://meet.example.org/abc"}),
            )
            .await;
        assert_eq!(video.json["contact"], "video", "{:?}", video.json);

        let by_client = api.get(&format!("/api/v1/sessions?client={c}")).await;
        let starts: Vec<&str> = by_client.json["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["start"].as_str().unwrap())
            .collect();
        assert_eq!(
            starts,
            [
                "2030-01-07T09:00:00Z",
                "2030-01-14T09:00:00Z",
                "2030-03-01T10:00:00Z"
            ],
            "{backend}: by start, in UTC"
        );
        let range = api
            .get("/api/v1/sessions?from=2030-01-08T00:00:00Z&to=2030-01-15T00:00:00%2B01:00")
            .await;
        let got: Vec<&str> = range.json["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(got, [ids[2].as_str(), ids[1].as_str()], "{backend}");
        let empty = api
            .get("/api/v1/sessions?from=2030-02-01T00:00:00Z&to=2030-01-01T00:00:00Z")
            .await;
        assert_eq!(empty.json["sessions"], json!([]));
        let first = api.get("/api/v1/sessions?limit=2&kind=intake").await;
        assert_eq!(first.json["sessions"].as_array().unwrap().len(), 2);
        assert_eq!(first.json["truncated"], false);
        assert_eq!(
            api.get("/api/v1/sessions?limit=1").await.json["truncated"],
            true
        );

        // Move a planned one; record what happened; a session that happened does not move.
        let r = api
            .post(
                &format!("/api/v1/sessions/{}/reschedule", ids[0]),
                json!({"start": "2030-01-09T08:30:00Z"}),
            )
            .await;
        assert_eq!(
            (r.status, r.json["start"].as_str()),
            (200, Some("2030-01-09T08:30:00Z"))
        );
        let r = api
            .post(
                &format!("/api/v1/sessions/{}/outcome", ids[0]),
                json!({"status": "missed"}),
            )
            .await;
        assert_eq!((r.status, r.json["status"].as_str()), (200, Some("missed")));
        let r = api
            .post(
                &format!("/api/v1/sessions/{}/reschedule", ids[0]),
                json!({"start": "2030-01-10T08:30:00Z"}),
            )
            .await;
        assert_problem(&r, 409, Some("status"), "a missed session does not move");
        assert_eq!(
            api.get(&format!("/api/v1/sessions/{}", ids[0])).await.json["start"],
            "2030-01-09T08:30:00Z"
        );
        let r = api
            .post(
                &format!("/api/v1/sessions/{}/outcome", ids[1]),
                json!({"status": "planned"}),
            )
            .await;
        assert_problem(&r, 422, Some("status"), "planned is not an outcome");
        // The missed session raised an alert.
        let alerts = api.get(&format!("/api/v1/alerts?client={c}")).await;
        assert_eq!(alerts.json["alerts"][0]["kind"], "missed-session");
        assert_eq!(alerts.json["alerts"][0]["source_id"], ids[0].as_str());
        let missed = api.get("/api/v1/sessions?status=missed").await;
        assert_eq!(missed.json["sessions"].as_array().unwrap().len(), 1);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_medicine_session_is_refused_with_409_until_the_clearance_is_signed_and_the_preparation_held(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
        let c = app.client_id.clone();
        let t = &app.therapist.actor;
        app.store
            .start_protocol(t, &c, "mdma-at", &[], &[])
            .await
            .unwrap();
        let medicine = json!({
            "client_id": c,
            "start": "2030-03-04T09:00:00+01:00",
            "duration_minutes": 480,
            "external": {"clinic": "Sykehuset Østfold", "responsible": "Dr. Lege", "referral_note": "Henvist 1. mars"}
        });
        let r = api
            .post("/api/v1/medicine-sessions", medicine.clone())
            .await;
        assert_problem(&r, 409, None, "no clearance");
        assert_eq!(r.json["error"], "conflict");
        assert!(
            r.json["message"].as_str().unwrap().contains("clearance"),
            "{:?}",
            r.json
        );
        assert!(app
            .store
            .sessions(t, &c)
            .await
            .unwrap()
            .iter()
            .all(|s| s.kind != "medicine"));

        let screening = app
            .store
            .record_screening(t, &c, "{}", "[]", None)
            .await
            .unwrap();
        app.store
            .record_clearance(t, &c, &screening, "cleared", None)
            .await
            .unwrap();
        let r = api
            .post("/api/v1/medicine-sessions", medicine.clone())
            .await;
        assert_problem(&r, 409, None, "preparation not held");
        assert!(
            r.json["message"].as_str().unwrap().contains("preparation"),
            "{:?}",
            r.json
        );

        // The preparation, scheduled and held through the API.
        let required = ferd_core::journey::Protocols::builtin()
            .get("mdma-at")
            .map(|p| ferd_core::journey::JourneyFacts::for_protocol(p).preparation_required)
            .unwrap();
        for n in 0..required {
            let s = api
                .post(
                    "/api/v1/sessions",
                    json!({"client_id": c, "kind": "preparation", "start": format!("2030-02-{:02}T10:00:00Z", n + 1), "duration_minutes": 90}),
                )
                .await;
            let id = s.json["id"].as_str().unwrap();
            assert_eq!(
                api.post(
                    &format!("/api/v1/sessions/{id}/outcome"),
                    json!({"status": "held"})
                )
                .await
                .status,
                200
            );
        }
        let r = api.post("/api/v1/medicine-sessions", medicine).await;
        assert_eq!(r.status, 201, "{backend}: {:?}", r.json);
        assert_eq!(r.json["kind"], "medicine");
        assert_eq!(r.json["external"]["clinic"], "Sykehuset Østfold");
        assert_eq!(r.json["external"]["referral_note"], "Henvist 1. mars");
        // An external record needs the clinic and the person responsible.
        let r = api
            .post(
                "/api/v1/medicine-sessions",
                json!({"client_id": c, "start": "2030-04-04T09:00:00Z", "duration_minutes": 480, "external": {"clinic": " ", "responsible": "Dr. Lege"}}),
            )
            .await;
        assert_problem(&r, 422, Some("external.clinic"), "no clinic");
        let r = api
            .post(
                "/api/v1/medicine-sessions",
                json!({"client_id": c, "start": "2030-04-04T09:00:00Z", "duration_minutes": 480, "external": {"clinic": "X"}}),
            )
            .await;
        assert_problem(&r, 422, Some("external.responsible"), "no responsible");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn alerts_are_listed_and_a_suicidal_ideation_alert_is_acknowledged_only_with_what_was_done() {
    for backend in backends() {
        let app = spawn(backend).await;
        let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
        let c = app.client_id.clone();
        let mut answers = vec![Some(0); 9];
        answers[8] = Some(2);
        answers.push(Some(0));
        app.store
            .record_response(&app.therapist.actor, &c, None, "phq-9", &answers, 1_000)
            .await
            .unwrap();
        let open = api.get("/api/v1/alerts").await;
        assert_eq!(open.status, 200);
        let alert = &open.json["alerts"][0];
        assert_eq!(alert["kind"], "suicidal-ideation");
        assert_eq!(alert["instrument"], "phq-9");
        assert_eq!(alert["client_name"], "Kari Klient");
        assert_eq!(alert["raised_at"], "1970-01-01T00:00:01Z");
        let id = alert["id"].as_str().unwrap().to_string();
        let ack = format!("/api/v1/alerts/{id}/acknowledge");

        let r = api
            .post(&ack, json!({"acknowledged_by": "tor@a.example.org"}))
            .await;
        assert_problem(&r, 422, Some("action"), "no action");
        assert!(r.json["message"]
            .as_str()
            .unwrap()
            .contains("what was done"));
        let r = api
            .post(
                &ack,
                json!({"acknowledged_by": "nobody@a.example.org", "action": "Ringte klienten."}),
            )
            .await;
        assert_problem(&r, 404, Some("acknowledged_by"), "not staff");
        let r = api
            .post(
                &ack,
                json!({"acknowledged_by": "bo@b.example.org", "action": "Ringte klienten."}),
            )
            .await;
        assert_problem(
            &r,
            404,
            Some("acknowledged_by"),
            "staff of another practice",
        );
        assert_eq!(
            api.get("/api/v1/alerts").await.json["alerts"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        let r = api
            .post(
                &ack,
                json!({"acknowledged_by": "Tor@A.example.org", "action": "Ringte klienten, laget sikkerhetsplan."}),
            )
            .await;
        assert_eq!(r.status, 200, "{backend}: {:?}", r.json);
        assert_eq!(r.json["acknowledged_by"], "Tor Terapeut");
        assert_eq!(r.json["action"], "Ringte klienten, laget sikkerhetsplan.");
        assert!(r.json["acknowledged_at"].as_str().is_some());
        let r = api
            .post(
                &ack,
                json!({"acknowledged_by": "tor@a.example.org", "action": "Igjen."}),
            )
            .await;
        assert_problem(&r, 409, Some("status"), "acknowledged twice");

        assert_eq!(api.get("/api/v1/alerts").await.json["alerts"], json!([]));
        let done = api
            .get("/api/v1/alerts?state=acknowledged&kind=suicidal-ideation")
            .await;
        assert_eq!(done.json["alerts"][0]["id"], id.as_str());
        assert_eq!(
            api.get("/api/v1/alerts?state=all&kind=missed-session")
                .await
                .json["alerts"],
            json!([])
        );
        // The records name the person; the audit names the token.
        let alerts = app
            .store
            .client_alerts(&app.therapist.actor, &c)
            .await
            .unwrap();
        assert_eq!(alerts[0].acknowledged_by.as_deref(), Some("Tor Terapeut"));
        assert!(app
            .store
            .audit_events()
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "acknowledge" && e.actor_id.starts_with("api-token:")));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn an_inquiry_becomes_a_client_with_a_journey_at_intake_and_clients_are_listed_with_their_phase(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
        let id = api.post("/api/v1/inquiries", phone_inquiry()).await.json["id"]
            .as_str()
            .unwrap()
            .to_string();
        let convert = format!("/api/v1/inquiries/{id}/client");
        let r = api.post(&convert, json!({"protocol": "ayahuasca"})).await;
        assert_problem(&r, 422, Some("protocol"), "unknown protocol");
        let r = api
            .post(
                &convert,
                json!({"protocol": "mdma-at", "therapist": "nobody@a.example.org"}),
            )
            .await;
        assert_problem(&r, 404, Some("therapist"), "unknown therapist");
        let r = api
            .post(
                &convert,
                json!({"protocol": "mdma-at", "therapist": "tone@a.example.org"}),
            )
            .await;
        assert_eq!(r.status, 201, "{backend}: {:?}", r.json);
        let client = r.json["id"].as_str().unwrap().to_string();
        assert_eq!(r.location, format!("/api/v1/clients/{client}"));
        assert_eq!(
            r.json,
            json!({"id": client, "name": "Kari Nordmann", "phase": "intake"})
        );
        let record = app
            .store
            .client(&app.therapist2.actor, &client)
            .await
            .unwrap();
        assert_eq!(record.email.as_deref(), Some("kari.nordmann@example.org"));
        assert_eq!(
            record.therapist_id.as_deref(),
            Some(app.therapist2.id.as_str())
        );
        assert_eq!(
            api.get(&format!("/api/v1/inquiries/{id}")).await.json["status"],
            "answered"
        );
        assert_problem(
            &api.post(&convert, json!({"protocol": "mdma-at"})).await,
            409,
            Some("status"),
            "twice",
        );

        let all = api.get("/api/v1/clients").await.json;
        let names: Vec<&str> = all["clients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["Kari Klient", "Kari Nordmann", "Ola Other"],
            "{backend}: the practice's, by name"
        );
        let intake = api.get("/api/v1/clients?phase=intake").await.json;
        assert_eq!(
            intake["clients"],
            json!([{"id": client, "name": "Kari Nordmann", "phase": "intake"}])
        );
        let none = api.get("/api/v1/clients?phase=none&search=OLA").await.json;
        assert_eq!(none["clients"][0]["id"], app.other_client_id.as_str());
        assert_eq!(
            api.get(&format!("/api/v1/clients/{}", app.client_id))
                .await
                .json,
            json!({"id": app.client_id, "name": "Kari Klient", "phase": null})
        );
        app.cleanup().await;
    }
}

/// The operations of the document: (method, path) in lower-case method names.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.clone(), path.clone(), op.clone()));
        }
    }
    out
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_what_the_router_serves_with_every_error_response() {
    let app = spawn("sqlite").await;
    let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
    let r = Api::new(&app, None).get("/api/openapi.json").await;
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (200, "application/json")
    );
    let doc = r.json;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["description"]
        .as_str()
        .unwrap()
        .contains("FHIR"));
    let ops = operations(&doc);

    // Every route served under /api/v1 is in the document (and the document itself).
    let mut listed: Vec<String> = ops
        .iter()
        .map(|(m, p, _)| format!("{} {p}", m.to_uppercase()))
        .collect();
    listed.sort();
    let mut served = vec![
        "GET /api/openapi.json",
        "GET /api/v1/token",
        "GET /api/v1/inquiries",
        "POST /api/v1/inquiries",
        "GET /api/v1/inquiries/{id}",
        "PATCH /api/v1/inquiries/{id}",
        "DELETE /api/v1/inquiries/{id}",
        "POST /api/v1/inquiries/{id}/client",
        "GET /api/v1/clients",
        "GET /api/v1/clients/{id}",
        "GET /api/v1/sessions",
        "POST /api/v1/sessions",
        "POST /api/v1/medicine-sessions",
        "GET /api/v1/sessions/{id}",
        "POST /api/v1/sessions/{id}/reschedule",
        "POST /api/v1/sessions/{id}/outcome",
        "GET /api/v1/alerts",
        "GET /api/v1/alerts/{id}",
        "POST /api/v1/alerts/{id}/acknowledge",
    ];
    served.sort();
    assert_eq!(listed, served);

    // And the router agrees: each documented operation is served (not the JSON 404 of an unknown address), and on
    // each documented path the router's Allow header names exactly the documented methods.
    let id = "00000000-0000-4000-8000-000000000000";
    for (method, path, op) in &ops {
        let concrete = path.replace("{id}", id);
        let r = api
            .send(
                &method.to_uppercase(),
                &concrete,
                Some(("application/json", b"{}".to_vec())),
            )
            .await;
        assert!(
            r.status != 405
                && !r.json["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("no such API address"),
            "{method} {path}: {r:?}"
        );
        let documented: Vec<String> = doc["paths"][path]
            .as_object()
            .unwrap()
            .keys()
            .map(|m| m.to_uppercase())
            .collect();
        for other in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if documented.iter().any(|m| m == other) {
                continue;
            }
            let r = api.send(other, &concrete, None).await;
            assert_problem(&r, 405, None, &format!("{other} {path}"));
            let mut allow: Vec<&str> = r
                .allow
                .split(',')
                .map(str::trim)
                .filter(|m| *m != "HEAD")
                .collect();
            allow.sort();
            let mut want: Vec<&str> = documented.iter().map(String::as_str).collect();
            want.sort();
            assert_eq!(allow, want, "{other} {path}");
        }

        // Every operation documents its refusals; the shared ones refer to the problem responses.
        if path == "/api/openapi.json" {
            continue;
        }
        let responses = op["responses"].as_object().unwrap();
        let writes = method != "get";
        let body = op.get("requestBody").is_some();
        let query = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        let mut want = vec!["401", "429"];
        if writes {
            want.push("403");
        }
        if body {
            want.extend(["400", "413", "415", "422"]);
        }
        if query {
            want.push("422");
        }
        if path.contains('{') {
            want.push("404");
        }
        for status in want {
            assert!(
                responses.contains_key(status),
                "{method} {path} lacks {status}"
            );
        }
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {path} has no success response"
        );
        assert_eq!(op["security"], json!([{"bearer": []}]), "{method} {path}");
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{method} {path}: summary"
        );
        assert!(op["operationId"].as_str().is_some(), "{method} {path}");
        if body {
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            let name = schema["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
            assert_eq!(
                doc["components"]["schemas"][name]["additionalProperties"], false,
                "{method} {path}: unknown fields are refused, so the schema says so"
            );
        }
    }
    for component in [
        "InvalidJson",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "TooLarge",
        "UnsupportedMediaType",
        "Invalid",
        "TooMany",
    ] {
        // (TooLarge may also be the server-wide limit's plain text.)
        assert_eq!(
            doc["components"]["responses"][component]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/Problem"
        );
    }
    // Links point at operations that exist (for stateful clients and schemathesis).
    let ids: Vec<&str> = ops
        .iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str())
        .collect();
    let mut links = 0;
    for (_, _, op) in &ops {
        for response in op["responses"].as_object().unwrap().values() {
            for link in response["links"]
                .as_object()
                .into_iter()
                .flat_map(|l| l.values())
            {
                links += 1;
                assert!(
                    ids.contains(&link["operationId"].as_str().unwrap()),
                    "{link}"
                );
            }
        }
    }
    assert!(links >= 10);

    // Unknown addresses under /api answer JSON too.
    for path in [
        "/api/v1",
        "/api/v1/inquiries/",
        "/api/v2/inquiries",
        "/api/v1/clients/x/sessions",
    ] {
        assert_problem(&api.get(path).await, 404, None, path);
    }
    app.cleanup().await;
}

#[tokio::test]
async fn the_token_acts_for_its_practice_not_for_a_person() {
    let app = spawn("sqlite").await;
    let api = Api::new(&app, Some(token(&app, &app.admin, TokenScope::Write).await));
    let r = api.get("/api/v1/token").await;
    assert_eq!(r.json["scope"], "write");
    // A practice-wide token sees every client of the practice, the second therapist's too.
    let r = api
        .get(&format!("/api/v1/clients/{}", app.other_client_id))
        .await;
    assert_eq!(r.status, 200);
    // The store refuses the token where only a person may act (a clearance is a clinician's).
    let holder_actor = Actor {
        user_id: format!(
            "api-token:{}",
            app.store.api_tokens(&app.admin.actor).await.unwrap()[0].id
        ),
        role: ferd_store::Role::Therapist,
        practice_id: app.admin.actor.practice_id.clone(),
        practice_admin: true,
        client_id: None,
        request_id: "t".into(),
    };
    assert!(
        app.store.api_tokens(&holder_actor).await.is_err(),
        "a token does not manage tokens"
    );
    app.cleanup().await;
}
