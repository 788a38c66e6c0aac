//! What every page shares: the layout (navigation, language switch, sign-out), the error page, and small helpers
//! that turn a rendered template into a response.

use askama::Template;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::context::Ctx;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};

/// Which navigation a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Not signed in (or half-way through signing in).
    None,
    Therapist,
    Admin,
    Client,
}

/// The layout's data, built from the request context.
#[derive(Debug, Clone)]
pub struct Layout {
    pub tr: Tr,
    pub csrf: String,
    pub path: String,
    pub user_name: String,
    pub nav: Nav,
    /// A therapist who also administers the practice sees both menus.
    pub also_admin: bool,
    pub demo: bool,
    pub title: String,
    /// Which menu entry is current (`dashboard`, `clients`, …).
    pub section: &'static str,
    /// A one-line confirmation shown after a successful action.
    pub notice: Option<String>,
}

impl Layout {
    /// The layout for a page titled by the message `title_key`, in `section` of the menu.
    pub fn new(ctx: &Ctx, title_key: &str, section: &'static str) -> Layout {
        let nav = if ctx.is_client() {
            Nav::Client
        } else if ctx.is_therapist() {
            Nav::Therapist
        } else if ctx.is_admin() {
            Nav::Admin
        } else {
            Nav::None
        };
        Layout {
            tr: ctx.tr.clone(),
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
            user_name: ctx.user_name(),
            also_admin: nav == Nav::Therapist && ctx.is_admin(),
            nav,
            demo: ctx.demo,
            title: ctx.tr.t(title_key),
            section,
            notice: None,
        }
    }

    /// The same layout with a confirmation line.
    pub fn with_notice(mut self, notice: Option<String>) -> Layout {
        self.notice = notice;
        self
    }

    /// The message `key` (the form templates use most).
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.tr.t1(key, name, &value)
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        a: &str,
        av: impl std::fmt::Display,
        b: &str,
        bv: impl std::fmt::Display,
    ) -> String {
        self.tr.t2(key, a, &av, b, &bv)
    }

    /// The message `key` with a count (for plural forms).
    pub fn tn(&self, key: &str, name: &str, n: impl crate::i18n::Count) -> String {
        self.tr.tn(key, name, n.count())
    }

    /// The languages for the switch, with whether each is the current one.
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.tag(), l.own_name(), *l == self.tr.lang()))
            .collect()
    }

    /// `aria-current="page"` for the current menu entry.
    pub fn current(&self, section: &str) -> &'static str {
        if self.section == section {
            "page"
        } else {
            "false"
        }
    }

    pub fn is_therapist(&self) -> bool {
        self.nav == Nav::Therapist
    }
    pub fn is_admin_nav(&self) -> bool {
        self.nav == Nav::Admin || self.also_admin
    }
    pub fn is_client(&self) -> bool {
        self.nav == Nav::Client
    }
    pub fn signed_in(&self) -> bool {
        self.nav != Nav::None
    }
}

/// Renders a template as an HTML response.
pub fn html(t: &impl Template) -> Result<Response, AppError> {
    let body = t.render()?;
    let mut r = body.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(r)
}

/// Renders a template as an HTML response with a status other than 200 (a form sent back with errors is 422).
pub fn html_status(status: StatusCode, t: &impl Template) -> Result<Response, AppError> {
    let mut r = html(t)?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    l: Layout,
    status: u16,
    message: String,
}

/// The error page, in the user's language.
pub fn error_page(ctx: &Ctx, status: StatusCode, message_key: &str) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => "error-title-not-found",
        StatusCode::FORBIDDEN => "error-title-forbidden",
        StatusCode::TOO_MANY_REQUESTS => "error-title-too-many",
        StatusCode::BAD_REQUEST => "error-title-bad-request",
        _ => "error-title-internal",
    };
    let t = ErrorTemplate {
        l: Layout::new(ctx, title, ""),
        status: status.as_u16(),
        message: ctx.tr.t(message_key),
    };
    match html_status(status, &t) {
        Ok(r) => r,
        Err(_) => (status, status.canonical_reason().unwrap_or("error")).into_response(),
    }
}
