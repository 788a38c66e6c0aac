//! The request context: who is signed in (from the session cookie), which language to speak, the CSRF token, and a
//! request id for the audit trail. One middleware builds it for every request and checks the CSRF token of every
//! state-changing request before any handler runs, so no handler can forget to.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use ferd_store::{Account, Actor, Role, Stage, WebSession};

use crate::auth::{random_token, same, token_hash};
use crate::error::{AppError, ErrorPage};
use crate::i18n::{Lang, Tr};
use crate::views;
use crate::AppState;

/// The largest form ferd accepts (a journal entry of 100,000 characters, URL-encoded, fits).
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// Everything a handler and a template need to know about the request.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub tr: Tr,
    /// The CSRF token that forms on this page must carry.
    pub csrf: String,
    pub request_id: String,
    /// The browser's session, at whatever stage of sign-in.
    pub session: Option<WebSession>,
    /// The path of this page (the language switch returns here).
    pub path: String,
    /// Whether this is the demo.
    pub demo: bool,
    /// The client's address, for sign-in throttling only (never logged with an identity).
    pub peer: String,
    /// The session token's hash, if a session cookie came with the request.
    pub token_hash: Option<String>,
    /// The address this site is reached at (the configured public address, else the request's host), for links
    /// sent outside the site such as invitations.
    pub origin: String,
}

impl Ctx {
    /// The signed-in account, if the session has passed every step of sign-in.
    pub fn account(&self) -> Option<&Account> {
        self.session
            .as_ref()
            .filter(|s| s.stage == Stage::Full)
            .map(|s| &s.account)
    }

    /// The actor for the store, for a fully signed-in user.
    pub fn actor(&self) -> Result<Actor, AppError> {
        self.account()
            .map(|a| a.actor(&self.request_id))
            .ok_or(AppError::SignIn)
    }

    /// Whether the signed-in user administers their practice.
    pub fn is_admin(&self) -> bool {
        self.account().is_some_and(|a| {
            a.role == Role::Admin || (a.role == Role::Therapist && a.practice_admin)
        })
    }

    /// Whether the signed-in user works with clients (the workspace).
    pub fn is_therapist(&self) -> bool {
        self.account().is_some_and(|a| a.role == Role::Therapist)
    }

    /// Whether the signed-in user is a client.
    pub fn is_client(&self) -> bool {
        self.account()
            .is_some_and(|a| a.role == Role::Client && a.client_id.is_some())
    }

    /// The signed-in user's display name.
    pub fn user_name(&self) -> String {
        self.account()
            .map(|a| a.display_name.clone())
            .unwrap_or_default()
    }

    /// The message `key` in the request's language (shorthand used by handlers).
    pub fn msg(&self, key: &str) -> String {
        self.tr.t(key)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("request context missing".into()))
    }
}

/// A signed-in therapist: the workspace's pages.
#[derive(Debug)]
pub struct Therapist(pub Ctx, pub Actor);

/// A signed-in practice admin: the administration pages.
#[derive(Debug)]
pub struct Admin(pub Ctx, pub Actor);

/// A signed-in therapist or admin: pages about the practice as a whole (the outcome report), never one client's
/// record — the store scopes what each sees.
#[derive(Debug)]
pub struct Staff(pub Ctx, pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let actor = ctx.actor()?;
        if !(ctx.is_therapist() || ctx.is_admin()) {
            return Err(AppError::Forbidden);
        }
        Ok(Staff(ctx, actor))
    }
}

/// A signed-in client: the portal's pages.
#[derive(Debug)]
pub struct ClientUser(pub Ctx, pub Actor, pub String);

impl<S: Send + Sync> FromRequestParts<S> for Therapist {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let actor = ctx.actor()?;
        if !ctx.is_therapist() {
            return Err(AppError::Forbidden);
        }
        Ok(Therapist(ctx, actor))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let actor = ctx.actor()?;
        if !ctx.is_admin() {
            return Err(AppError::Forbidden);
        }
        Ok(Admin(ctx, actor))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let actor = ctx.actor()?;
        match actor.client_id.clone() {
            Some(id) if actor.role == Role::Client => Ok(ClientUser(ctx, actor, id)),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// The session cookie's name: with the `__Host-` prefix over TLS, which browsers accept only on a Secure,
/// host-only, path-`/` cookie.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-ferd_session"
    } else {
        "ferd_session"
    }
}

fn csrf_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-ferd_csrf"
    } else {
        "ferd_csrf"
    }
}

/// The language cookie (set by the switch; not secret).
pub const LANG_COOKIE: &str = "ferd_lang";

/// A cookie with ferd's attributes: HttpOnly, SameSite=Lax, Path=/, Secure over TLS.
pub fn make_cookie(
    name: &str,
    value: String,
    secure: bool,
    max_age_seconds: Option<i64>,
) -> HeaderValue {
    let mut c = Cookie::new(name.to_string(), value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(secure);
    if let Some(s) = max_age_seconds {
        c.set_max_age(cookie::time::Duration::seconds(s));
    }
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_string()))
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// The address a request comes from. Behind a trusted reverse proxy that is not the TCP peer (which is the proxy)
/// but the nearest address in `X-Forwarded-For` that is not itself a trusted proxy, read from the right: the
/// entries further left were written by the client and may be forged. A request from anywhere else is its peer,
/// whatever its headers say.
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted: &[ipnet::IpNet],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut nearest = peer;
    // Several headers are one list, in order (RFC 9110 §5.3).
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    for hop in hops.iter().rev() {
        match hop.trim().parse::<std::net::IpAddr>() {
            Ok(ip) if is_trusted(&ip) => nearest = ip,
            Ok(ip) => return ip,
            // Something a trusted proxy would not write: stop at the last address that can be believed.
            Err(_) => return nearest,
        }
    }
    nearest
}

/// Builds the [`Ctx`], checks CSRF on state-changing requests, keeps the session alive, and renders error pages in
/// the user's language.
pub async fn context_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let secure = state.config().behind_tls();
    let now = ferd_store::now_ms();
    let request_id = ferd_store::new_id();
    let headers = req.headers().clone();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| client_address(c.0.ip(), &headers, &state.config().trusted_proxies).to_string())
        .unwrap_or_else(|| "unknown".into());

    // The session, if the cookie names a live one.
    let mut session = None;
    let mut hash = None;
    if let Some(token) = cookie_value(&headers, session_cookie_name(secure)) {
        let h = token_hash(&token);
        match state.store().web_session(&h, now).await {
            Ok(Some(s)) => {
                let max_end = s.created_at + state.config().session_max_hours * 3_600_000;
                if now >= max_end {
                    let _ = state.store().delete_web_session(&h).await;
                } else {
                    // Extend the idle timeout at most once a minute: one write per minute, not per request.
                    if now - s.last_seen_at > 60_000 {
                        let expires =
                            (now + state.config().session_idle_minutes * 60_000).min(max_end);
                        if let Err(e) = state.store().touch_web_session(&h, now, expires).await {
                            tracing::warn!(error = %e, "could not extend a session");
                        }
                    }
                    session = Some(s);
                }
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ferd cannot reach its database",
                )
                    .into_response();
            }
        }
        hash = Some(h);
    }

    // Language: the user's setting, the switch's cookie, the browser, else bokmål.
    let lang = session
        .as_ref()
        .filter(|s| s.stage == Stage::Full)
        .and_then(|s| s.account.language.as_deref())
        .and_then(Lang::parse)
        .or_else(|| cookie_value(&headers, LANG_COOKIE).and_then(|v| Lang::parse(&v)))
        .or_else(|| {
            headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Nb);
    let tz = session
        .as_ref()
        .and_then(|s| jiff::tz::TimeZone::get(&s.account.time_zone).ok())
        .unwrap_or_else(|| state.0.time_zone.clone());
    let tr = Tr::new(state.0.i18n.clone(), lang, tz);

    // CSRF: a signed-in browser's token lives in its session; an anonymous browser's in a cookie of its own.
    let cookie_csrf = cookie_value(&headers, csrf_cookie_name(secure)).filter(|v| v.len() >= 32);
    let mut new_csrf_cookie = None;
    let csrf = match (&session, &cookie_csrf) {
        (Some(s), _) => s.csrf_token.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => {
            let t = random_token();
            new_csrf_cookie = Some(t.clone());
            t
        }
    };

    let ctx = Ctx {
        tr: tr.clone(),
        csrf: csrf.clone(),
        request_id,
        session,
        path: req.uri().path().to_string(),
        demo: state.config().demo,
        peer,
        token_hash: hash,
        origin: match &state.config().public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => format!(
                "http://{}",
                headers
                    .get(axum::http::header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .filter(|h| h
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
                    .unwrap_or("localhost")
            ),
        },
    };

    let mut req = req;
    // The public inquiry form answers a request that is not a form at all with the form itself and what went
    // wrong (415), so such a request reaches its handler, which stores nothing for it; every other request that
    // changes anything must carry the CSRF token.
    let not_a_form_to_the_inquiry_form = *req.method() == Method::POST
        && Lang::ALL
            .iter()
            .any(|l| ctx.path == format!("/{}/contact", l.tag()))
        && !req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && !not_a_form_to_the_inquiry_form
    {
        match check_csrf(req, &csrf, new_csrf_cookie.is_some()).await {
            Ok(r) => req = r,
            Err(e) => return render_error(&ctx, e.into_response()),
        }
    }

    req.extensions_mut().insert(ctx.clone());
    let mut response = next.run(req).await;
    if let Some(token) = new_csrf_cookie {
        response.headers_mut().append(
            SET_COOKIE,
            make_cookie(csrf_cookie_name(secure), token, secure, None),
        );
    }
    if response.extensions().get::<ErrorPage>().is_some() {
        response = render_error(&ctx, response);
    }
    response
}

/// Reads the form body (bounded), checks its `csrf` field against the expected token, and rebuilds the request.
async fn check_csrf(req: Request, expected: &str, fresh: bool) -> Result<Request, AppError> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form || fresh {
        // No form, or a browser that never loaded one of our pages (so it has no token): refuse.
        return Err(AppError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| AppError::BadRequest("body".into()))?;
    let sent = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    match sent {
        Some(t) if same(&t, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(AppError::Csrf),
    }
}

fn render_error(ctx: &Ctx, response: Response) -> Response {
    let Some(page) = response.extensions().get::<ErrorPage>().copied() else {
        return response;
    };
    let mut out = views::error_page(ctx, page.status, page.message);
    // Keep the headers the handler set (cookies, say), but not its body's type.
    for (k, v) in response.headers() {
        if k != CONTENT_TYPE && k != axum::http::header::CONTENT_LENGTH {
            out.headers_mut().append(k.clone(), v.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn a_forwarded_address_counts_only_when_the_connection_comes_from_a_trusted_proxy() {
        let proxies = [
            "127.0.0.1/32".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        let h = forwarded(&["203.0.113.7"]);
        // From the proxy on this machine: the client it forwarded.
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &proxies),
            ip("203.0.113.7")
        );
        // From anywhere else the header is the client's own claim, and ignored.
        assert_eq!(
            client_address(ip("198.51.100.1"), &h, &proxies),
            ip("198.51.100.1")
        );
        assert_eq!(client_address(ip("127.0.0.1"), &h, &[]), ip("127.0.0.1"));
    }

    #[test]
    fn the_nearest_untrusted_hop_wins_so_a_client_cannot_forge_its_address_by_sending_the_header_itself(
    ) {
        let proxies = [
            "127.0.0.1/32".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        // The client sent "1.2.3.4"; the edge proxy appended the real address, an inner proxy its own.
        let h = forwarded(&["1.2.3.4, 203.0.113.7", "10.1.2.3"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &proxies),
            ip("203.0.113.7")
        );
        // Only trusted hops: the farthest of them.
        let h = forwarded(&["10.9.9.9, 10.1.2.3"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &proxies),
            ip("10.9.9.9")
        );
        // Garbage stops the walk at the last believable address; no header: the proxy itself.
        let h = forwarded(&["203.0.113.7, not-an-address, 10.1.2.3"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &proxies),
            ip("10.1.2.3")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), &HeaderMap::new(), &proxies),
            ip("127.0.0.1")
        );
        let v6: Vec<ipnet::IpNet> = vec!["::1/128".parse().unwrap()];
        assert_eq!(
            client_address(ip("::1"), &forwarded(&["2001:db8::5"]), &v6),
            ip("2001:db8::5")
        );
    }
}
