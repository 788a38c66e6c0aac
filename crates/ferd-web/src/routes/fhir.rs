//! FHIR R4 under `/fhir`, for other systems (an EHR, a trial's data capture): ferd's questionnaires, responses
//! submitted and scored, the scores as Observations, the client as Patient (and `$everything`, the GDPR export),
//! sessions as Encounters and the journey as a CarePlan.
//!
//! JSON only: every answer is `application/fhir+json; charset=utf-8`, every refusal an `OperationOutcome` naming the
//! parameter or element that is wrong. Every interaction but `metadata` needs an API token
//! ([`ApiClient`]); the token reaches its own practice's clients and no others (another practice's record is "not
//! found"), and the store audits each read and write under the token's name. [`RESOURCES`] is both what the
//! CapabilityStatement says and what the handlers accept, so the two cannot drift apart.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::header::{ACCEPT, ALLOW, CONTENT_TYPE, HOST, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use ferd_core::fhir::capability::{
    CapabilityStatement, Implementation, Interaction, Operation, Rest, RestResource, SearchParam,
    Security, Software,
};
use ferd_core::fhir::{
    self, Bundle, CodeableConcept, FhirError, JourneyRecord, ObservationContext, PatientRecord,
    Reference, Resource, SessionRecord, TokenParam,
};
use ferd_core::instruments::ResponseError;
use ferd_core::{Catalogue, Instrument};
use ferd_store::fhir_reads::{
    JourneyPlan, JourneySearch, ResponseSearch, SessionSearch, SessionSummary,
};
use ferd_store::{StoreError, StoredResponse};
use serde::Serialize;

use self::search::{clip, is_id, patient_reference, Params};
use crate::api::{ApiClient, ApiError};
use crate::AppState;

mod search;

/// The FHIR content type of every answer.
pub const FHIR_JSON: &str = "application/fhir+json; charset=utf-8";

/// One resource type as ferd serves it: the interactions, search parameters and operations the handlers below
/// accept. The CapabilityStatement is made from this table.
pub struct ResourceSpec {
    pub type_: &'static str,
    pub documentation: &'static str,
    /// `read`, `search-type`, `create`, each with a note.
    pub interactions: &'static [(&'static str, &'static str)],
    /// Name, type, definition, note.
    pub search: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// `$name`, definition, note.
    pub operations: &'static [(&'static str, &'static str, &'static str)],
}

/// What ferd serves, resource by resource.
pub const RESOURCES: &[ResourceSpec] = &[
    ResourceSpec {
        type_: "Questionnaire",
        documentation: "ferd's instruments (PCL-5, PHQ-9, GAD-7, …), read-only. Scored answer options carry ordinalValue and itemWeight; LOINC codes where verified.",
        interactions: &[("read", "by the instrument's id, e.g. pcl-5"), ("search-type", "")],
        search: &[
            ("_id", "token", "http://hl7.org/fhir/SearchParameter/Resource-id", "the instrument's id"),
            ("url", "uri", "http://hl7.org/fhir/SearchParameter/Questionnaire-url", "the canonical URL, optionally with |version; LOINC's http://loinc.org/q/<panel> is understood"),
            ("name", "string", "http://hl7.org/fhir/SearchParameter/Questionnaire-name", "starts with, ignoring case (e.g. Pcl5)"),
        ],
        operations: &[],
    },
    ResourceSpec {
        type_: "QuestionnaireResponse",
        documentation: "Responses to ferd's questionnaires. create: status completed or amended; the subject must be Patient/<id> of a client of the token's practice; the questionnaire is named by its canonical URL; answers as valueCoding (one of the item's options) or valueInteger; any total the sender computed is ignored and ferd scores the answers itself. authored (a dateTime with time and zone) defaults to the time of receipt. ferd keeps subject, authored, the questionnaire and the answers; other elements (identifier, encounter, author, source, extensions) are not kept. The answer is 201 Created with Location and a Bundle of type collection: the stored QuestionnaireResponse first, then the Observations ferd derived from it (Prefer: return=minimal gives no body). A read-only token is refused (403).",
        interactions: &[
            ("create", "answers 201 with a collection Bundle: the QuestionnaireResponse and its Observations"),
            ("read", "as ferd stores it: each answer as its option's coding"),
            ("search-type", ""),
        ],
        search: &[
            ("_id", "token", "http://hl7.org/fhir/SearchParameter/Resource-id", ""),
            ("patient", "reference", "http://hl7.org/fhir/SearchParameter/QuestionnaireResponse-patient", "Patient/<id> or <id>"),
            ("subject", "reference", "http://hl7.org/fhir/SearchParameter/QuestionnaireResponse-subject", "Patient/<id> (ferd's subjects are Patients)"),
            ("authored", "date", "http://hl7.org/fhir/SearchParameter/QuestionnaireResponse-authored", "prefixes eq, ne, gt, lt, ge, le, sa, eb; repeat for a range"),
            ("questionnaire", "reference", "http://hl7.org/fhir/SearchParameter/QuestionnaireResponse-questionnaire", "the canonical URL, or Questionnaire/<id>"),
        ],
        operations: &[],
    },
    ResourceSpec {
        type_: "Observation",
        documentation: "Scores of stored responses, computed by ferd: one Observation for the total (LOINC code where verified, and ferd's score code) with subscales, cut-offs, symptom patterns and safety flags as components and the severity band as interpretation, and one for each derived score with a LOINC code of its own (the PHQ-2). Category survey, status final, derivedFrom the response; id <response id>-<n>. Read-only: Observations are made only by submitting a QuestionnaireResponse.",
        interactions: &[("read", ""), ("search-type", "")],
        search: &[
            ("patient", "reference", "http://hl7.org/fhir/SearchParameter/clinical-patient", "Patient/<id> or <id>"),
            ("subject", "reference", "http://hl7.org/fhir/SearchParameter/Observation-subject", "Patient/<id>"),
            ("code", "token", "http://hl7.org/fhir/SearchParameter/clinical-code", "system|code or code, comma-separated for any of them (LOINC, or https://ferd.health/fhir/CodeSystem/score)"),
            ("date", "date", "http://hl7.org/fhir/SearchParameter/clinical-date", "effectiveDateTime, the time the response was authored; prefixes eq, ne, gt, lt, ge, le, sa, eb"),
            ("category", "token", "http://hl7.org/fhir/SearchParameter/Observation-category", "every ferd Observation is survey"),
        ],
        operations: &[],
    },
    ResourceSpec {
        type_: "Patient",
        documentation: "A client of the token's practice: name, e-mail, phone, birth year, emergency contact, preferred language. $everything is the client's GDPR export (art. 15 and 20) as a searchset Bundle.",
        interactions: &[("read", "")],
        search: &[],
        operations: &[(
            "everything",
            "http://hl7.org/fhir/OperationDefinition/Patient-everything",
            "GET /Patient/<id>/$everything without parameters: everything ferd holds about the client (responses with their Observations, sessions with their notes, journeys, journal entries shared with the therapist, consents, screenings, risk assessments, medicine-session readings)",
        )],
    },
    ResourceSpec {
        type_: "Encounter",
        documentation: "A session: status planned, finished (held) or cancelled (cancelled or missed; R4's Encounter has no no-show status); class AMB in person, VR by video or phone (v3-ActCode); type the kind of session (https://ferd.health/fhir/CodeSystem/session-kind); the planned period and length. Notes are not included (they are in $everything).",
        interactions: &[("read", ""), ("search-type", "")],
        search: &[
            ("_id", "token", "http://hl7.org/fhir/SearchParameter/Resource-id", ""),
            ("patient", "reference", "http://hl7.org/fhir/SearchParameter/clinical-patient", "Patient/<id> or <id>"),
            ("subject", "reference", "http://hl7.org/fhir/SearchParameter/Encounter-subject", "Patient/<id>"),
            ("date", "date", "http://hl7.org/fhir/SearchParameter/clinical-date", "compared with the session's start; prefixes eq, ne, gt, lt, ge, le, sa, eb"),
        ],
        operations: &[],
    },
    ResourceSpec {
        type_: "CarePlan",
        documentation: "A client's journey through a protocol: status active, on-hold (paused), completed, or revoked (withdrawn, referred elsewhere); intent plan; the protocol as title and the phase in the description; each session of the journey as an activity with its status and the Encounter as outcomeReference.",
        interactions: &[("read", ""), ("search-type", "")],
        search: &[
            ("_id", "token", "http://hl7.org/fhir/SearchParameter/Resource-id", ""),
            ("patient", "reference", "http://hl7.org/fhir/SearchParameter/clinical-patient", "Patient/<id> or <id>"),
            ("subject", "reference", "http://hl7.org/fhir/SearchParameter/CarePlan-subject", "Patient/<id>"),
        ],
        operations: &[],
    },
];

/// The search parameters `type_` declares.
fn declared(type_: &str) -> Vec<&'static str> {
    RESOURCES
        .iter()
        .find(|r| r.type_ == type_)
        .map(|r| r.search.iter().map(|s| s.0).collect())
        .unwrap_or_default()
}

/// The FHIR routes (outside the browser's session and CSRF layer).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/fhir/metadata", get(metadata).fallback(method_not_allowed))
        .route(
            "/fhir/Questionnaire",
            get(questionnaire_search).fallback(method_not_allowed),
        )
        .route(
            "/fhir/Questionnaire/{id}",
            get(questionnaire_read).fallback(method_not_allowed),
        )
        .route(
            "/fhir/QuestionnaireResponse",
            get(response_search)
                .post(response_create)
                .fallback(method_not_allowed),
        )
        .route(
            "/fhir/QuestionnaireResponse/{id}",
            get(response_read).fallback(method_not_allowed),
        )
        .route(
            "/fhir/Observation",
            get(observation_search).fallback(method_not_allowed),
        )
        .route(
            "/fhir/Observation/{id}",
            get(observation_read).fallback(method_not_allowed),
        )
        .route(
            "/fhir/Patient/{id}",
            get(patient_read).fallback(method_not_allowed),
        )
        .route(
            "/fhir/Patient/{id}/$everything",
            get(patient_everything).fallback(method_not_allowed),
        )
        .route(
            "/fhir/Encounter",
            get(encounter_search).fallback(method_not_allowed),
        )
        .route(
            "/fhir/Encounter/{id}",
            get(encounter_read).fallback(method_not_allowed),
        )
        .route(
            "/fhir/CarePlan",
            get(care_plan_search).fallback(method_not_allowed),
        )
        .route(
            "/fhir/CarePlan/{id}",
            get(care_plan_read).fallback(method_not_allowed),
        )
        .route("/fhir", any(unknown))
        .route("/fhir/", any(unknown))
        .route("/fhir/{*rest}", any(unknown))
}

/// What every FHIR interaction reads from the request besides its own parameters: the base address for
/// absolute URLs, whether strict or lenient parameter handling was asked for, and what the client accepts.
pub struct FhirRequest {
    /// `https://host/fhir`, without a trailing slash.
    pub base: String,
    pub lenient: bool,
    /// `Prefer: return=minimal`.
    pub minimal: bool,
}

impl FromRequestParts<AppState> for FhirRequest {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        acceptable(&parts.headers, parts.uri.query())?;
        let base = match state.config().public_url.as_deref() {
            Some(u) => format!("{}/fhir", u.trim_end_matches('/')),
            None => {
                let host = parts
                    .headers
                    .get(HOST)
                    .and_then(|h| h.to_str().ok())
                    .filter(|h| {
                        !h.is_empty()
                            && h.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
                    })
                    .unwrap_or("localhost");
                format!("http://{host}/fhir")
            }
        };
        let prefer = parts
            .headers
            .get_all("prefer")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split([',', ';']))
            .map(|p| p.trim().to_ascii_lowercase())
            .collect::<Vec<_>>();
        Ok(FhirRequest {
            base,
            lenient: prefer.iter().any(|p| p == "handling=lenient"),
            minimal: prefer.iter().any(|p| p == "return=minimal"),
        })
    }
}

/// Refuses (406) a request that accepts only something other than JSON, by `Accept` or `_format`.
fn acceptable(headers: &HeaderMap, query: Option<&str>) -> Result<(), ApiError> {
    let json = |m: &str| {
        matches!(
            m,
            "json"
                | "application/json"
                | "application/fhir+json"
                | "application/json+fhir"
                | "*/*"
                | "application/*"
        )
    };
    let not_acceptable = |what: &str, field: &str| {
        ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            "not-supported",
            format!(
                "ferd answers only in JSON (application/fhir+json); {what} asks for something else"
            ),
        )
        .at(field)
        .fhir()
    };
    if let Some(q) = query {
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            if k == "_format" {
                let m = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                if !json(&m) {
                    return Err(not_acceptable("_format", "_format"));
                }
                // _format overrides Accept.
                return Ok(());
            }
        }
    }
    let ranges: Vec<String> = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|r| {
            r.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|r| !r.is_empty())
        .collect();
    if ranges.is_empty() || ranges.iter().any(|r| json(r)) {
        Ok(())
    } else {
        Err(not_acceptable("Accept", "Accept"))
    }
}

/// A FHIR answer: the resource as JSON with FHIR's content type.
fn answer<T: Serialize>(status: StatusCode, value: &T, pretty: bool) -> Response {
    let body = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    match body {
        Ok(body) => {
            let mut r = (status, body).into_response();
            r.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "a FHIR resource did not serialise");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "exception",
                "ferd could not write the resource; it is logged",
            )
            .fhir()
            .into_response()
        }
    }
}

/// A store error as FHIR: "not found" names the resource type asked for.
fn store_error(e: StoreError, type_: &str) -> ApiError {
    match e {
        StoreError::NotFound { .. } => ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no such {type_} (or not in this token's practice)"),
        )
        .fhir(),
        other => ApiError::from_store(other).fhir(),
    }
}

fn not_found(type_: &str) -> ApiError {
    store_error(StoreError::NotFound { entity: "record" }, type_)
}

/// Unix milliseconds as a FHIR `instant` in UTC (milliseconds only when there are any).
fn instant(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}

/// A search's Bundle with `total` and the links to this page, the previous and the next.
fn searchset(
    req: &FhirRequest,
    type_: &str,
    params: &Params,
    total: i64,
    count: i64,
    offset: i64,
) -> Bundle {
    let mut b = Bundle::new("searchset");
    b.timestamp = Some(instant(ferd_store::now_ms()));
    b.total = Some(total);
    let url = |o: i64| format!("{}/{type_}?{}", req.base, params.query_with(count, o));
    b.link.push(fhir::BundleLink {
        relation: "self",
        url: url(offset),
    });
    if count > 0 && offset > 0 {
        b.link.push(fhir::BundleLink {
            relation: "previous",
            url: url((offset - count).max(0)),
        });
    }
    if count > 0 && offset + count < total {
        b.link.push(fhir::BundleLink {
            relation: "next",
            url: url(offset + count),
        });
    }
    b
}

// ---- metadata ----

/// The CapabilityStatement, made from [`RESOURCES`]. Served without a token.
async fn metadata(
    State(state): State<AppState>,
    req: FhirRequest,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &["mode"], false, req.lenient)?;
    if let Some(mode) = params.one("mode")? {
        if mode != "full" {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "not-supported",
                "only mode=full is supported",
            )
            .at("mode")
            .fhir());
        }
    }
    static STARTED: OnceLock<String> = OnceLock::new();
    let date = STARTED
        .get_or_init(|| instant(ferd_store::now_ms()))
        .clone();
    let statement = capability_statement(&req.base, date, state.config().demo);
    Ok(answer(StatusCode::OK, &statement, params.pretty))
}

/// What ferd's FHIR endpoints do, from [`RESOURCES`].
pub fn capability_statement(base: &str, date: String, demo: bool) -> CapabilityStatement {
    CapabilityStatement {
        resource_type: "CapabilityStatement",
        status: "active",
        date,
        publisher: "ferd",
        kind: "instance",
        software: Software {
            name: "ferd",
            version: env!("CARGO_PKG_VERSION"),
        },
        implementation: Implementation {
            description: if demo {
                "ferd demo practice (invented data)".into()
            } else {
                "ferd: measurement-based care for a practice".into()
            },
            url: base.to_string(),
        },
        fhir_version: "4.0.1",
        format: vec!["json"],
        rest: vec![Rest {
            mode: "server",
            documentation: format!(
                "JSON only (application/fhir+json; requests may also send application/json). Every error is an OperationOutcome whose issue.expression names the wrong parameter or element. Unknown search parameters and modifiers are refused (400) unless the request says Prefer: handling=lenient. A search's parameters must all hold; a parameter is given once, except date parameters, which may be repeated for a range; dates without a zone are read in the server's time zone. Results come oldest first in pages: _count (default {}, at most {}) and _offset; Bundle.total counts every match, and the links next and previous lead through the pages. Another practice's record, and one that does not exist, are both 404.",
                search::DEFAULT_COUNT,
                search::MAX_COUNT
            ),
            security: Security {
                cors: false,
                service: vec![CodeableConcept {
                    coding: Vec::new(),
                    text: Some("Bearer token".into()),
                }],
                description: format!(
                    "Every interaction except metadata needs an API token: Authorization: Bearer ferd_…. A practice's admin creates tokens under Administration → API tokens, read-only or read-write; a token reaches every client of its practice and no other, is limited to {} requests a minute, and each use is audited under the token's name.",
                    crate::api::REQUESTS_PER_MINUTE
                ),
            },
            resource: RESOURCES
                .iter()
                .map(|r| RestResource {
                    type_: r.type_,
                    documentation: r.documentation.to_string(),
                    interaction: r
                        .interactions
                        .iter()
                        .map(|(code, doc)| Interaction {
                            code,
                            documentation: (!doc.is_empty()).then_some(*doc),
                        })
                        .collect(),
                    versioning: "no-version",
                    read_history: false,
                    update_create: false,
                    conditional_create: false,
                    conditional_read: "not-supported",
                    conditional_update: false,
                    conditional_delete: "not-supported",
                    search_param: r
                        .search
                        .iter()
                        .map(|(name, type_, definition, doc)| SearchParam {
                            name,
                            definition: Some(*definition),
                            type_,
                            documentation: (!doc.is_empty()).then_some(*doc),
                        })
                        .collect(),
                    operation: r
                        .operations
                        .iter()
                        .map(|(name, definition, doc)| Operation {
                            name,
                            definition,
                            documentation: Some(*doc),
                        })
                        .collect(),
                })
                .collect(),
        }],
    }
}

// ---- Questionnaire ----

fn questionnaires() -> &'static [(String, fhir::Questionnaire)] {
    static ALL: OnceLock<Vec<(String, fhir::Questionnaire)>> = OnceLock::new();
    ALL.get_or_init(|| {
        Catalogue::builtin()
            .iter()
            .map(|i| (i.id.clone(), fhir::questionnaire(i)))
            .collect()
    })
}

async fn questionnaire_read(
    _api: ApiClient,
    req: FhirRequest,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &[], false, req.lenient)?;
    let (_, q) = questionnaires()
        .iter()
        .find(|(i, _)| *i == id)
        .ok_or_else(|| not_found("Questionnaire"))?;
    Ok(answer(StatusCode::OK, q, params.pretty))
}

async fn questionnaire_search(
    _api: ApiClient,
    req: FhirRequest,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &declared("Questionnaire"), true, req.lenient)?;
    let (count, offset) = params.paging()?;
    let id = params.one("_id")?;
    let url = params.one("url")?;
    let name = params.one("name")?.map(str::to_lowercase);
    let by_url = url.map(|u| Catalogue::builtin().by_canonical(u).map(|i| i.id.as_str()));
    let matches: Vec<&(String, fhir::Questionnaire)> = questionnaires()
        .iter()
        .filter(|(qid, q)| {
            id.is_none_or(|id| id == qid)
                && by_url.is_none_or(|u| u == Some(qid.as_str()))
                && url.is_none_or(|u| {
                    // A version after | must be this one.
                    u.split_once('|').is_none_or(|(_, v)| v == q.version)
                })
                && name
                    .as_deref()
                    .is_none_or(|n| q.name.to_lowercase().starts_with(n))
        })
        .collect();
    let total = matches.len() as i64;
    let mut b = searchset(&req, "Questionnaire", &params, total, count, offset);
    for (qid, q) in matches
        .into_iter()
        .skip(offset as usize)
        .take(count as usize)
    {
        b.push(
            format!("{}/Questionnaire/{qid}", req.base),
            Resource::Questionnaire(Box::new(q.clone())),
        );
    }
    Ok(answer(StatusCode::OK, &b, params.pretty))
}

// ---- QuestionnaireResponse ----

/// The stored response as ferd's QuestionnaireResponse, and the response ferd-core scores.
fn response_resource(
    r: &StoredResponse,
) -> Result<
    (
        fhir::QuestionnaireResponse,
        ferd_core::instruments::Response<'static>,
    ),
    ApiError,
> {
    let broken = |what: String| {
        tracing::error!(response = %r.id, "{what}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "exception",
            "a stored response could not be read; it is logged",
        )
        .fhir()
    };
    let ins = Catalogue::builtin()
        .require(&r.instrument)
        .map_err(|e| broken(e.to_string()))?;
    let response = ins
        .response(&r.answers)
        .map_err(|e| broken(format!("stored response no longer validates: {e}")))?;
    let mut qr = fhir::questionnaire_response(
        &response,
        Some(Reference::to(format!("Patient/{}", r.client_id))),
        Some(instant(r.authored_at)),
    );
    qr.id = Some(r.id.clone());
    Ok((qr, response))
}

/// The Observations of a stored response, with their ids (`<response id>-<n>`).
fn observations_of(
    r: &StoredResponse,
    response: &ferd_core::instruments::Response<'_>,
) -> Vec<fhir::Observation> {
    let ctx = ObservationContext {
        derived_from: Reference::to(format!("QuestionnaireResponse/{}", r.id)),
        subject: Some(Reference::to(format!("Patient/{}", r.client_id))),
        effective: Some(instant(r.authored_at)),
        issued: None,
    };
    fhir::observations(&response.score(), &ctx)
        .into_iter()
        .enumerate()
        .map(|(n, mut o)| {
            o.id = Some(format!("{}-{n}", r.id));
            o
        })
        .collect()
}

async fn response_read(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &[], false, req.lenient)?;
    if !is_id(&id) {
        return Err(not_found("QuestionnaireResponse"));
    }
    let page = state
        .store()
        .fhir_responses(
            &api.actor,
            &ResponseSearch {
                id: Some(id),
                count: 1,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| store_error(e, "QuestionnaireResponse"))?;
    let m = page
        .items
        .first()
        .ok_or_else(|| not_found("QuestionnaireResponse"))?;
    let (qr, _) = response_resource(&m.response)?;
    Ok(answer(StatusCode::OK, &qr, params.pretty))
}

/// The instruments a `questionnaire` search value names (a canonical URL, `Questionnaire/<id>` or `<id>`).
fn questionnaire_param(value: &str) -> Result<&'static Instrument, ApiError> {
    let c = Catalogue::builtin();
    let id = value
        .rsplit_once("Questionnaire/")
        .map_or(value, |(_, id)| id);
    c.by_canonical(value).or_else(|| c.get(id)).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!(
                "'{}' is not a questionnaire ferd knows (known: {})",
                clip(value),
                c.ids().join(", ")
            ),
        )
        .at("questionnaire")
        .fhir()
    })
}

async fn response_search(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(
        q.as_deref(),
        &declared("QuestionnaireResponse"),
        true,
        req.lenient,
    )?;
    let (count, offset) = params.paging()?;
    let instruments = params
        .one("questionnaire")?
        .map(questionnaire_param)
        .transpose()?
        .map(|i| vec![(i.id.clone(), 1)]);
    let search = ResponseSearch {
        id: params.one("_id")?.map(str::to_string),
        client_id: params.patient()?,
        instruments,
        authored: params.dates("authored", &state.0.time_zone)?,
        offset,
        count,
    };
    let page = empty_if_missing(
        state.store().fhir_responses(&api.actor, &search).await,
        "QuestionnaireResponse",
    )?;
    let mut b = searchset(
        &req,
        "QuestionnaireResponse",
        &params,
        page.total,
        count,
        offset,
    );
    for m in &page.items {
        let (qr, _) = response_resource(&m.response)?;
        b.push(
            format!("{}/QuestionnaireResponse/{}", req.base, m.response.id),
            Resource::QuestionnaireResponse(Box::new(qr)),
        );
    }
    Ok(answer(StatusCode::OK, &b, params.pretty))
}

/// A create's body must be JSON (`application/fhir+json` or `application/json`, UTF-8).
fn json_body(headers: &HeaderMap) -> Result<(), ApiError> {
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut parts = ct.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset_ok = parts.all(|p| {
        let p = p.trim().to_ascii_lowercase();
        !p.starts_with("charset=") || p == "charset=utf-8" || p == "charset=\"utf-8\""
    });
    if (mime == "application/fhir+json" || mime == "application/json") && charset_ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not-supported",
            format!(
                "send the resource as Content-Type: application/fhir+json (UTF-8); got '{}'",
                clip(ct)
            ),
        )
        .at("Content-Type")
        .fhir())
    }
}

/// Where in a QuestionnaireResponse an answer-rule error lies (a FHIRPath expression), and its status.
fn fhir_error(e: &FhirError) -> ApiError {
    let item = |instrument: &str, key: &str| -> String {
        Catalogue::builtin()
            .get(instrument)
            .and_then(|i| i.item_index(key).map(|n| i.items[n].link_id.clone()))
            .map_or_else(
                || "QuestionnaireResponse.item".to_string(),
                |link| format!("QuestionnaireResponse.item.where(linkId='{link}')"),
            )
    };
    let (status, field) = match e {
        FhirError::Json(_) => (StatusCode::BAD_REQUEST, "QuestionnaireResponse".to_string()),
        FhirError::ResourceType(_) => (
            StatusCode::BAD_REQUEST,
            "QuestionnaireResponse.resourceType".to_string(),
        ),
        FhirError::Element { path, .. } => (StatusCode::BAD_REQUEST, path.clone()),
        FhirError::UnknownQuestionnaire { .. } | FhirError::WrongQuestionnaire { .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "QuestionnaireResponse.questionnaire".to_string(),
        ),
        FhirError::Answers(a) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            match a {
                ResponseError::OutOfRange {
                    instrument,
                    item: k,
                    ..
                } => item(instrument, k) + ".answer",
                ResponseError::Incomplete {
                    instrument,
                    missing,
                } => missing.first().map_or_else(
                    || "QuestionnaireResponse.item".into(),
                    |k| item(instrument, k),
                ),
                ResponseError::NotAsked {
                    instrument, items, ..
                } => items.first().map_or_else(
                    || "QuestionnaireResponse.item".into(),
                    |k| item(instrument, k),
                ),
                _ => "QuestionnaireResponse.item".to_string(),
            },
        ),
    };
    ApiError::new(status, "invalid", e.to_string())
        .at(field)
        .fhir()
}

fn unprocessable(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
        .at(field)
        .fhir()
}

/// Submits a response: parsed and scored by ferd-core, stored for the client named as subject (in one transaction
/// with its audit event, alerts and the outcome report's bookkeeping), answered 201 with the stored response and
/// its Observations.
async fn response_create(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    api.require_write()?;
    let params = Params::parse(q.as_deref(), &[], false, req.lenient)?;
    json_body(&headers)?;
    let body = body.map_err(|e| {
        ApiError::new(e.status(), "invalid", e.body_text())
            .at("QuestionnaireResponse")
            .fhir()
    })?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid", "the body is not UTF-8")
            .at("QuestionnaireResponse")
            .fhir()
    })?;
    let parsed = fhir::score_questionnaire_response(Catalogue::builtin(), text, None)
        .map_err(|e| fhir_error(&e))?;
    let subject = parsed.subject.as_ref().ok_or_else(|| {
        unprocessable(
            "QuestionnaireResponse.subject",
            "is missing: name the client as Patient/<id>",
        )
    })?;
    let client_id = subject
        .reference
        .as_deref()
        .filter(|r| r.starts_with("Patient/") || r.contains("/Patient/"))
        .and_then(patient_reference)
        .ok_or_else(|| {
            unprocessable(
                "QuestionnaireResponse.subject.reference",
                "must be a literal reference Patient/<id> to a client of this practice",
            )
        })?
        .to_string();
    let now = ferd_store::now_ms();
    let authored = match parsed.authored.as_deref() {
        None => now,
        Some(a) => {
            let t: jiff::Timestamp = a.parse().map_err(|_| {
                unprocessable(
                    "QuestionnaireResponse.authored",
                    format!(
                        "'{}': ferd stores when a response was authored to the second; give a date, a time and a zone (e.g. 2026-01-15T10:00:00+01:00)",
                        clip(a)
                    ),
                )
            })?;
            let ms = t.as_millisecond();
            if ms > now + 86_400_000 {
                return Err(unprocessable(
                    "QuestionnaireResponse.authored",
                    "lies more than a day in the future",
                ));
            }
            ms
        }
    };
    let ins = parsed.response.instrument();
    let answers: Vec<Option<i64>> = (0..ins.items.len())
        .map(|i| parsed.response.value(i).map(i64::from))
        .collect();
    let stored = state
        .store()
        .record_response(&api.actor, &client_id, None, &ins.id, &answers, authored)
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => unprocessable(
                "QuestionnaireResponse.subject.reference",
                format!(
                    "there is no Patient/{} in this token's practice",
                    clip(&client_id)
                ),
            ),
            other => store_error(other, "QuestionnaireResponse"),
        })?;
    let location = format!("{}/QuestionnaireResponse/{}", req.base, stored.id);
    let mut r = if req.minimal {
        let mut r = StatusCode::CREATED.into_response();
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
        r
    } else {
        let (qr, response) = response_resource(&stored)?;
        let mut b = Bundle::new("collection");
        b.timestamp = Some(instant(now));
        b.push(
            location.clone(),
            Resource::QuestionnaireResponse(Box::new(qr)),
        );
        for o in observations_of(&stored, &response) {
            let id = o.id.clone().unwrap_or_default();
            b.push(
                format!("{}/Observation/{id}", req.base),
                Resource::Observation(Box::new(o)),
            );
        }
        answer(StatusCode::CREATED, &b, params.pretty)
    };
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(LOCATION, v);
    }
    Ok(r)
}

// ---- Observation ----

/// Each instrument with the number of its Observations that match the codes (all of them without codes); only
/// instruments with at least one.
fn observation_weights(codes: Option<&[TokenParam]>) -> Vec<(String, i64)> {
    Catalogue::builtin()
        .iter()
        .map(|ins| {
            let n = fhir::observation_codes(ins)
                .iter()
                .filter(|codings| codes.is_none_or(|c| c.iter().any(|t| t.matches_any(codings))))
                .count() as i64;
            (ins.id.clone(), n)
        })
        .collect()
}

async fn observation_search(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &declared("Observation"), true, req.lenient)?;
    let (count, offset) = params.paging()?;
    let codes = params.tokens("code")?;
    let survey = fhir::Coding::new(fhir::OBSERVATION_CATEGORY, "survey", "Survey");
    let in_category = params
        .tokens("category")?
        .is_none_or(|c| c.iter().any(|t| t.matches(&survey)));
    let mut weights = observation_weights(codes.as_deref());
    if !in_category {
        for w in &mut weights {
            w.1 = 0;
        }
    }
    let search = ResponseSearch {
        id: None,
        client_id: params.patient()?,
        instruments: Some(weights),
        authored: params.dates("date", &state.0.time_zone)?,
        offset,
        count,
    };
    let page = state
        .store()
        .fhir_responses(&api.actor, &search)
        .await
        .map_err(|e| store_error(e, "Observation"))?;
    let mut b = searchset(&req, "Observation", &params, page.total, count, offset);
    let mut position = 0;
    'pages: for m in &page.items {
        let (_, response) = response_resource(&m.response)?;
        let mut k = m.before;
        for o in observations_of(&m.response, &response) {
            if !codes
                .as_deref()
                .is_none_or(|c| c.iter().any(|t| t.matches_any(&o.code.coding)))
            {
                continue;
            }
            k += 1;
            if k <= offset {
                continue; // before this page (a response that straddles the page's start)
            }
            if position == count {
                break 'pages;
            }
            position += 1;
            let id = o.id.clone().unwrap_or_default();
            b.push(
                format!("{}/Observation/{id}", req.base),
                Resource::Observation(Box::new(o)),
            );
        }
    }
    Ok(answer(StatusCode::OK, &b, params.pretty))
}

async fn observation_read(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &[], false, req.lenient)?;
    let (rid, n) = id
        .rsplit_once('-')
        .filter(|(rid, _)| is_id(rid))
        .and_then(|(rid, n)| Some((rid.to_string(), n.parse::<usize>().ok()?)))
        .ok_or_else(|| not_found("Observation"))?;
    let page = state
        .store()
        .fhir_responses(
            &api.actor,
            &ResponseSearch {
                id: Some(rid),
                count: 1,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| store_error(e, "Observation"))?;
    let m = page.items.first().ok_or_else(|| not_found("Observation"))?;
    let (_, response) = response_resource(&m.response)?;
    let o = observations_of(&m.response, &response)
        .into_iter()
        .nth(n)
        .ok_or_else(|| not_found("Observation"))?;
    Ok(answer(StatusCode::OK, &o, params.pretty))
}

// ---- Patient ----

async fn patient_read(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &[], false, req.lenient)?;
    if !is_id(&id) {
        return Err(not_found("Patient"));
    }
    let c = state
        .store()
        .client(&api.actor, &id)
        .await
        .map_err(|e| store_error(e, "Patient"))?;
    let p = fhir::patient(&PatientRecord {
        id: &c.id,
        name: &c.name,
        email: c.email.as_deref(),
        phone: c.phone.as_deref(),
        birth_year: c.birth_year,
        emergency_contact: c.emergency_contact.as_deref(),
        language: &c.preferred_language,
    });
    Ok(answer(StatusCode::OK, &p, params.pretty))
}

/// The identifier system of a client's pseudonymous research id in the GDPR export.
const RESEARCH_ID_SYSTEM: &str = "https://ferd.health/fhir/research-id";

/// `$everything`: the store's GDPR export of the client, as a searchset Bundle whose entries' addresses are this
/// server's.
async fn patient_everything(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &[], false, req.lenient)?;
    if !is_id(&id) {
        return Err(not_found("Patient"));
    }
    let mut bundle = state
        .store()
        .export_client(&api.actor, &id)
        .await
        .map_err(|e| store_error(e, "Patient"))?;
    let export_base = format!("{}/", fhir::FERD_BASE);
    let mut total = 0;
    if let Some(entries) = bundle["entry"].as_array_mut() {
        for e in entries.iter_mut() {
            if let Some(url) = e["fullUrl"].as_str() {
                if let Some(rest) = url.strip_prefix(&export_base) {
                    e["fullUrl"] = format!("{}/{rest}", req.base).into();
                }
            }
            e["search"] = serde_json::json!({ "mode": "match" });
            // The research id links the named client to the pseudonymous research export: the client's own export
            // (`ferd client export`) shows it; another system reading through a token has no use for it.
            if e["resource"]["resourceType"] == "Patient" {
                if let Some(ids) = e["resource"]["identifier"].as_array_mut() {
                    ids.retain(|i| i["system"] != RESEARCH_ID_SYSTEM);
                    if ids.is_empty() {
                        if let Some(r) = e["resource"].as_object_mut() {
                            r.remove("identifier");
                        }
                    }
                }
            }
            total += 1;
        }
    }
    bundle["type"] = "searchset".into();
    bundle["total"] = total.into();
    Ok(answer(StatusCode::OK, &bundle, params.pretty))
}

// ---- Encounter ----

fn session_record(s: &SessionSummary) -> SessionRecord<'_> {
    SessionRecord {
        id: &s.id,
        kind: &s.kind,
        status: &s.status,
        contact: &s.contact,
        start: instant(s.scheduled_at),
        end: instant(s.scheduled_at + s.duration_minutes * 60_000),
        minutes: s.duration_minutes,
        place: s.place.as_deref(),
    }
}

fn encounter_of(s: &SessionSummary) -> fhir::Encounter {
    fhir::encounter(&session_record(s), &format!("Patient/{}", s.client_id))
}

async fn encounter_read(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &[], false, req.lenient)?;
    if !is_id(&id) {
        return Err(not_found("Encounter"));
    }
    let page = state
        .store()
        .fhir_sessions(
            &api.actor,
            &SessionSearch {
                id: Some(id),
                count: 1,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| store_error(e, "Encounter"))?;
    let s = page.items.first().ok_or_else(|| not_found("Encounter"))?;
    Ok(answer(StatusCode::OK, &encounter_of(s), params.pretty))
}

/// A search by `_id` that matches nothing is an empty Bundle, not a 404.
fn empty_if_missing<T>(
    r: Result<ferd_store::fhir_reads::Page<T>, StoreError>,
    type_: &str,
) -> Result<ferd_store::fhir_reads::Page<T>, ApiError> {
    match r {
        Ok(p) => Ok(p),
        Err(StoreError::NotFound { .. }) => Ok(ferd_store::fhir_reads::Page {
            total: 0,
            items: Vec::new(),
        }),
        Err(e) => Err(store_error(e, type_)),
    }
}

async fn encounter_search(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &declared("Encounter"), true, req.lenient)?;
    let (count, offset) = params.paging()?;
    let search = SessionSearch {
        id: params.one("_id")?.map(str::to_string),
        client_id: params.patient()?,
        start: params.dates("date", &state.0.time_zone)?,
        offset,
        count,
    };
    let page = empty_if_missing(
        state.store().fhir_sessions(&api.actor, &search).await,
        "Encounter",
    )?;
    let mut b = searchset(&req, "Encounter", &params, page.total, count, offset);
    for s in &page.items {
        b.push(
            format!("{}/Encounter/{}", req.base, s.id),
            Resource::Encounter(Box::new(encounter_of(s))),
        );
    }
    Ok(answer(StatusCode::OK, &b, params.pretty))
}

// ---- CarePlan ----

fn care_plan_of(j: &JourneyPlan) -> fhir::CarePlan {
    fhir::care_plan(
        &JourneyRecord {
            id: &j.id,
            protocol: &j.protocol,
            phase: &j.phase,
            status: &j.status,
            start: instant(j.started_at),
            end: j.ended_at.map(instant),
            sessions: j.sessions.iter().map(session_record).collect(),
        },
        &format!("Patient/{}", j.client_id),
    )
}

async fn care_plan_read(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &[], false, req.lenient)?;
    if !is_id(&id) {
        return Err(not_found("CarePlan"));
    }
    let page = state
        .store()
        .fhir_journeys(
            &api.actor,
            &JourneySearch {
                id: Some(id),
                count: 1,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| store_error(e, "CarePlan"))?;
    let j = page.items.first().ok_or_else(|| not_found("CarePlan"))?;
    Ok(answer(StatusCode::OK, &care_plan_of(j), params.pretty))
}

async fn care_plan_search(
    State(state): State<AppState>,
    api: ApiClient,
    req: FhirRequest,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(q.as_deref(), &declared("CarePlan"), true, req.lenient)?;
    let (count, offset) = params.paging()?;
    let search = JourneySearch {
        id: params.one("_id")?.map(str::to_string),
        client_id: params.patient()?,
        offset,
        count,
    };
    let page = empty_if_missing(
        state.store().fhir_journeys(&api.actor, &search).await,
        "CarePlan",
    )?;
    let mut b = searchset(&req, "CarePlan", &params, page.total, count, offset);
    for j in &page.items {
        b.push(
            format!("{}/CarePlan/{}", req.base, j.id),
            Resource::CarePlan(Box::new(care_plan_of(j))),
        );
    }
    Ok(answer(StatusCode::OK, &b, params.pretty))
}

// ---- what ferd does not serve ----

/// A known address with a method it does not take: 405 with the methods it does.
async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> Response {
    let path = uri.path();
    let allow = if path == "/fhir/QuestionnaireResponse" {
        "GET, POST"
    } else {
        "GET"
    };
    let mut r = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "not-supported",
        format!("{method} is not supported here (allowed: {allow}); see /fhir/metadata"),
    )
    .fhir()
    .into_response();
    r.headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    r
}

/// Anything else under /fhir: an unknown resource type, or an interaction ferd does not offer.
async fn unknown(uri: axum::http::Uri) -> ApiError {
    let path = uri.path().trim_start_matches("/fhir").trim_matches('/');
    let type_ = path.split('/').next().unwrap_or("");
    let message = match RESOURCES.iter().find(|r| r.type_ == type_) {
        _ if type_.is_empty() => "ferd offers no interactions on the base address (no batch, transaction, history or search across types); see /fhir/metadata".to_string(),
        Some(r) => format!(
            "this is not an interaction ferd offers on {} (it offers: {}); see /fhir/metadata",
            r.type_,
            r.interactions
                .iter()
                .map(|(i, _)| *i)
                .chain(r.operations.iter().map(|(o, _, _)| *o))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "ferd serves no resource type '{}' (it serves {}); see /fhir/metadata",
            clip(type_),
            RESOURCES
                .iter()
                .map(|r| r.type_)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    ApiError::new(StatusCode::NOT_FOUND, "not-supported", message)
        .at("url")
        .fhir()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SP: &str = "http://hl7.org/fhir/SearchParameter/";

    #[test]
    fn every_declared_search_parameter_has_a_known_type_and_definition() {
        for r in RESOURCES {
            for (name, type_, definition, _) in r.search {
                assert!(
                    ["token", "reference", "date", "uri", "string"].contains(type_),
                    "{}.{name}",
                    r.type_
                );
                assert!(definition.starts_with(SP), "{}.{name}", r.type_);
            }
            for (i, _) in r.interactions {
                assert!(["read", "search-type", "create"].contains(i));
            }
        }
    }
}
