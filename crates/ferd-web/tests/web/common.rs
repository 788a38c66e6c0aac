use std::collections::HashMap;

use ferd_store::{Actor, Keyring, NewClient, NewUser, Role, Store, StoreOptions};
use ferd_web::{Application, WebConfig};
use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use reqwest::redirect::Policy;

/// A running application with a practice (A) and a second practice (B) to prove scoping.
pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub therapist: Person,
    pub therapist2: Person,
    pub admin: Person,
    pub client: Person,
    pub client_id: String,
    /// A client of the second therapist, not visible to the first.
    pub other_client_id: String,
    /// A client of practice B.
    pub foreign_client_id: String,
    pub foreign_therapist: Person,
    schema: Option<(String, String)>,
    /// The SQLite database file (none on PostgreSQL).
    pub db_file: Option<std::path::PathBuf>,
}

/// A user who can sign in.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub password: String,
    pub actor: Actor,
}

pub const PASSWORD: &str = "a long test passphrase";

/// The backends to test on: SQLite always, PostgreSQL when configured.
pub fn backends() -> Vec<&'static str> {
    let mut v = vec!["sqlite"];
    if std::env::var("FERD_TEST_POSTGRES_URL").is_ok() {
        v.push("postgres");
    }
    v
}

async fn person(
    store: &Store,
    practice: Option<&str>,
    email: &str,
    name: &str,
    role: Role,
    practice_admin: bool,
    hash: &str,
) -> Person {
    let u = store
        .create_user(
            &Actor::system("test"),
            NewUser {
                practice_id: practice.map(str::to_string),
                email: email.into(),
                display_name: name.into(),
                role,
                practice_admin,
                password_hash: Some(hash.to_string()),
            },
        )
        .await
        .unwrap();
    Person {
        id: u.id.clone(),
        email: email.into(),
        password: PASSWORD.into(),
        actor: Actor {
            user_id: u.id,
            role,
            practice_id: practice.map(str::to_string),
            practice_admin,
            client_id: None,
            request_id: "test".into(),
        },
    }
}

/// Starts the application on a fresh database of `backend`, with `config` adjusted by `adjust`.
pub async fn spawn_with(backend: &str, adjust: impl FnOnce(&mut WebConfig)) -> TestApp {
    let mut db_file = None;
    let (store, schema) = match backend {
        "postgres" => {
            let url = std::env::var("FERD_TEST_POSTGRES_URL").unwrap();
            let schema = format!("ferd_web_{}", uuid::Uuid::new_v4().simple());
            let options = StoreOptions {
                schema: Some(schema.clone()),
                ..Default::default()
            };
            (
                Store::open(&url, Keyring::generate().unwrap(), options)
                    .await
                    .unwrap(),
                Some((url, schema)),
            )
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("ferd-web-test-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite://{}", dir.join("t.db").display());
            db_file = Some(dir.join("t.db"));
            (
                Store::open(&url, Keyring::generate().unwrap(), StoreOptions::default())
                    .await
                    .unwrap(),
                None,
            )
        }
    };
    let sys = Actor::system("test");
    let hash = ferd_web::auth::hash_password(PASSWORD).unwrap();
    let a = store.create_practice(&sys, "Practice A").await.unwrap();
    let b = store.create_practice(&sys, "Practice B").await.unwrap();
    let admin = person(
        &store,
        Some(&a.id),
        "admin@a.example.org",
        "Ada Admin",
        Role::Admin,
        false,
        &hash,
    )
    .await;
    let therapist = person(
        &store,
        Some(&a.id),
        "tor@a.example.org",
        "Tor Terapeut",
        Role::Therapist,
        false,
        &hash,
    )
    .await;
    let therapist2 = person(
        &store,
        Some(&a.id),
        "tone@a.example.org",
        "Tone Terapeut",
        Role::Therapist,
        false,
        &hash,
    )
    .await;
    let foreign_therapist = person(
        &store,
        Some(&b.id),
        "bo@b.example.org",
        "Bo B",
        Role::Therapist,
        true,
        &hash,
    )
    .await;
    // Two-factor is required by default; most tests sign in with a password only, so practice A waives it and the
    // two-factor tests turn it back on.
    store
        .set_practice_two_factor(&admin.actor, false)
        .await
        .unwrap();
    store
        .set_practice_two_factor(&foreign_therapist.actor, false)
        .await
        .unwrap();
    let new_client = |name: &str, email: Option<&str>| NewClient {
        name: name.into(),
        email: email.map(str::to_string),
        preferred_language: "nb".into(),
        ..Default::default()
    };
    let c = store
        .create_client(
            &therapist.actor,
            new_client("Kari Klient", Some("kari@example.org")),
        )
        .await
        .unwrap();
    let other = store
        .create_client(&therapist2.actor, new_client("Ola Other", None))
        .await
        .unwrap();
    let foreign = store
        .create_client(&foreign_therapist.actor, new_client("Fremmed", None))
        .await
        .unwrap();
    // The client's login, through an invitation as in real use.
    store
        .create_invitation(
            &therapist.actor,
            &c.id,
            "00aa",
            ferd_store::now_ms() + 60_000,
        )
        .await
        .unwrap();
    let client_user = store
        .accept_invitation("00aa", &hash, ferd_store::now_ms(), "test")
        .await
        .unwrap();
    let client = Person {
        id: client_user.clone(),
        email: "kari@example.org".into(),
        password: PASSWORD.into(),
        actor: Actor {
            user_id: client_user,
            role: Role::Client,
            practice_id: None,
            practice_admin: false,
            client_id: Some(c.id.clone()),
            request_id: "test".into(),
        },
    };
    let mut config = WebConfig {
        listen: "127.0.0.1:0".into(),
        // Two practices share the database: the public site speaks for A.
        site_practice: Some(a.id.clone()),
        ..WebConfig::default()
    };
    adjust(&mut config);
    let app = Application::build(config, store.clone()).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        base,
        store,
        therapist,
        therapist2,
        admin,
        client,
        client_id: c.id,
        other_client_id: other.id,
        foreign_client_id: foreign.id,
        foreign_therapist,
        schema,
        db_file,
    }
}

pub async fn spawn(backend: &str) -> TestApp {
    spawn_with(backend, |_| {}).await
}

impl TestApp {
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((url, schema)) = self.schema {
            sqlx::any::install_default_drivers();
            if let Ok(pool) = sqlx::AnyPool::connect(&url).await {
                let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&pool)
                    .await;
                pool.close().await;
            }
        }
    }

    /// A browser with no session.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
            csrf: None,
            instrument: None,
            lang: "nb".into(),
        }
    }

    /// A browser with no session whose every request carries `X-Forwarded-For: <forwarded_for>`, as a reverse
    /// proxy (or a client pretending) writes it.
    pub fn browser_forwarded_for(&self, forwarded_for: &str) -> Browser {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            forwarded_for.parse().expect("a header value"),
        );
        Browser {
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .default_headers(headers)
                .build()
                .unwrap(),
            ..self.browser()
        }
    }

    /// A browser signed in as `who` (password only).
    pub async fn signed_in(&self, who: &Person) -> Browser {
        let mut b = self.browser();
        let r = b.sign_in(&who.email, &who.password).await;
        assert_eq!(r.status, 303, "sign-in of {} failed: {}", who.email, r.body);
        // The session has a CSRF token of its own: load a page to learn it.
        b.get("/account").await;
        b
    }
}

/// A response, read.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

/// A minimal browser: keeps cookies and the last CSRF token it saw in a form.
pub struct Browser {
    pub base: String,
    http: reqwest::Client,
    pub cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    /// The instrument named by the last questionnaire form seen.
    pub instrument: Option<String>,
    pub lang: String,
}

/// The value of the first `<input … name="csrf" value="…">` in a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[i + 19..];
    Some(rest[..rest.find('"')?].to_string())
}

impl Browser {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        for v in headers.get_all(SET_COOKIE) {
            let text = v.to_str().unwrap_or("");
            let first = text.split(';').next().unwrap_or("");
            if let Some((k, val)) = first.split_once('=') {
                if val.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), val.to_string());
                }
            }
        }
        let body = r.text().await.unwrap_or_default();
        if let Some(t) = csrf_of(&body) {
            self.csrf = Some(t);
        }
        if let Some(i) = body.find("name=\"instrument\" value=\"") {
            let rest = &body[i + 25..];
            self.instrument = rest.find('"').map(|e| rest[..e].to_string());
        }
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header("accept-language", self.lang.clone())
            .send()
            .await
            .unwrap();
        self.read(r).await
    }

    /// Posts a form with the CSRF token of the last page seen.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut form: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if let Some(t) = &self.csrf {
            form.push(("csrf".into(), t.clone()));
        }
        self.post_raw(path, &form).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, form: &[(String, String)]) -> Page {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept-language", self.lang.clone())
            .body(body)
            .send()
            .await
            .unwrap();
        self.read(r).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.get("/login").await;
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The RFC 6238 code for `secret` at `unix_seconds` (what an authenticator app shows).
pub fn totp_code(secret_base32: &str, unix_seconds: u64) -> String {
    ferd_web::auth::totp_code(secret_base32, unix_seconds).unwrap()
}
