//! The FHIR R4 API under /fhir, over HTTP with real API tokens, on SQLite and PostgreSQL: an outside system reads
//! ferd's questionnaires, submits responses and reads back the scored Observations; bad input is refused with an
//! OperationOutcome naming the field and stores nothing; tokens reach their own practice only; every resource the
//! API produces passes the independent validators (Python fhir.resources and Medplum, tests/fhir-validators).

use std::path::Path;
use std::process::Command;

use ferd_core::fhir::{self, Reference};
use ferd_core::Catalogue;
use ferd_store::journey::PlannedSessionRow;
use ferd_store::{NewSession, TokenScope};
use serde_json::{json, Value};

use crate::common::*;

const FHIR_JSON: &str = "application/fhir+json; charset=utf-8";
const PCL5: [i64; 20] = [3, 3, 4, 2, 3, 4, 3, 1, 3, 4, 3, 2, 3, 2, 2, 1, 4, 3, 2, 4];

/// A token of `who`'s practice (a practice admin makes it, as on the administration page).
async fn token(app: &TestApp, who: &Person, scope: TokenScope) -> String {
    let t = format!("ferd_{}", ferd_web::auth::random_token());
    app.store
        .create_api_token(
            &who.actor,
            "FHIR test",
            scope,
            &ferd_web::auth::token_hash(&t),
            &t[..10],
        )
        .await
        .unwrap();
    t
}

/// An answer, read.
struct Reply {
    status: u16,
    content_type: String,
    location: String,
    allow: String,
    json: Value,
}

impl Reply {
    /// The OperationOutcome's first issue's expression.
    fn expression(&self) -> String {
        assert_eq!(
            self.json["resourceType"], "OperationOutcome",
            "{}",
            self.json
        );
        self.json["issue"][0]["expression"][0]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

struct Fhir {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Fhir {
    fn new(app: &TestApp, token: Option<&str>) -> Fhir {
        Fhir {
            base: format!("{}/fhir", app.base),
            token: token.map(str::to_string),
            http: reqwest::Client::new(),
        }
    }

    async fn send(&self, r: reqwest::RequestBuilder) -> Reply {
        let r = match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        };
        let r = r.send().await.unwrap();
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let (status, content_type, location, allow) = (
            r.status().as_u16(),
            header("content-type"),
            header("location"),
            header("allow"),
        );
        let text = r.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
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
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        self.send(self.http.get(url)).await
    }

    async fn post_as(&self, path: &str, content_type: &str, body: String) -> Reply {
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .header("content-type", content_type)
                .body(body),
        )
        .await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.post_as(path, "application/fhir+json", body.to_string())
            .await
    }
}

/// A QuestionnaireResponse filled from a Questionnaire's JSON as another system would: for each question, the
/// answer option whose ordinalValue is the given value.
fn fill(questionnaire: &Value, values: &[i64], patient: &str, authored: &str) -> Value {
    let questions: Vec<&Value> = questionnaire["item"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["type"] == "choice")
        .collect();
    let items: Vec<Value> = questions
        .iter()
        .zip(values)
        .map(|(q, v)| {
            let option = q["answerOption"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["extension"][0]["valueDecimal"].as_i64() == Some(*v))
                .unwrap();
            json!({ "linkId": q["linkId"], "text": q["text"], "answer": [{ "valueCoding": option["valueCoding"] }] })
        })
        .collect();
    json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire["url"],
        "status": "completed",
        "subject": { "reference": patient },
        "authored": authored,
        "item": items,
    })
}

/// ferd-core's own QuestionnaireResponse for these answers.
fn response_json(instrument: &str, values: &[i64], patient: &str, authored: &str) -> Value {
    let ins = Catalogue::builtin().get(instrument).unwrap();
    let answers = answers(instrument, values);
    let r = ins.response(&answers).unwrap();
    serde_json::to_value(fhir::questionnaire_response(
        &r,
        Some(Reference::to(patient)),
        Some(authored.to_string()),
    ))
    .unwrap()
}

/// The values as answers to the instrument's items in order, the rest unanswered.
fn answers(instrument: &str, values: &[i64]) -> Vec<Option<i64>> {
    let n = Catalogue::builtin().get(instrument).unwrap().items.len();
    (0..n).map(|i| values.get(i).copied()).collect()
}

fn total_of(instrument: &str, values: &[i64]) -> i64 {
    let ins = Catalogue::builtin().get(instrument).unwrap();
    let answers = answers(instrument, values);
    i64::from(ins.response(&answers).unwrap().score().total())
}

fn entries(bundle: &Value) -> Vec<Value> {
    bundle["entry"].as_array().cloned().unwrap_or_default()
}

fn link(bundle: &Value, relation: &str) -> Option<String> {
    bundle["link"]
        .as_array()?
        .iter()
        .find(|l| l["relation"] == relation)
        .and_then(|l| l["url"].as_str())
        .map(str::to_string)
}

#[tokio::test]
async fn an_outside_system_reads_a_questionnaire_submits_a_response_and_reads_back_the_scored_observations(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let t = token(&app, &app.admin, TokenScope::Write).await;
        let api = Fhir::new(&app, Some(&t));
        let patient = format!("Patient/{}", app.client_id);

        // The CapabilityStatement needs no token.
        let m = Fhir::new(&app, None).get("/metadata").await;
        assert_eq!((m.status, m.content_type.as_str()), (200, FHIR_JSON));
        assert_eq!(m.json["fhirVersion"], "4.0.1");

        // Find the PCL-5 by its canonical URL, by name and by id; read it.
        let ins = Catalogue::builtin().get("pcl-5").unwrap();
        let by_url = api
            .get(&format!("/Questionnaire?url={}", urlencode(&ins.url)))
            .await;
        assert_eq!(
            (by_url.status, by_url.content_type.as_str()),
            (200, FHIR_JSON)
        );
        assert_eq!(by_url.json["type"], "searchset");
        assert_eq!(by_url.json["total"], 1);
        assert_eq!(entries(&by_url.json)[0]["resource"]["id"], "pcl-5");
        let by_name = api.get("/Questionnaire?name=pcl5").await;
        assert_eq!(by_name.json["total"], 2, "Pcl5 and Pcl5Week");
        assert_eq!(api.get("/Questionnaire?_id=phq-9").await.json["total"], 1);
        assert_eq!(
            api.get("/Questionnaire").await.json["total"],
            Catalogue::builtin().iter().count()
        );
        let q = api.get("/Questionnaire/pcl-5").await;
        assert_eq!(q.status, 200);
        assert_eq!(q.json["url"], ins.url.as_str());

        // Submit a response filled from that Questionnaire alone.
        let qr = fill(&q.json, &PCL5, &patient, "2026-01-15T10:00:00+01:00");
        let created = api.post("/QuestionnaireResponse", &qr).await;
        assert_eq!(created.status, 201, "{}", created.json);
        assert_eq!(created.content_type, FHIR_JSON);
        assert_eq!(created.json["type"], "collection");
        let all = entries(&created.json);
        let stored = &all[0]["resource"];
        assert_eq!(stored["resourceType"], "QuestionnaireResponse");
        let id = stored["id"].as_str().unwrap().to_string();
        assert_eq!(
            created.location,
            format!("{}/fhir/QuestionnaireResponse/{id}", app.base)
        );
        assert_eq!(all[0]["fullUrl"], created.location.as_str());
        let observation = &all[1]["resource"];
        assert_eq!(observation["resourceType"], "Observation");
        assert_eq!(observation["valueInteger"], total_of("pcl-5", &PCL5));
        assert_eq!(observation["subject"]["reference"], patient.as_str());
        assert_eq!(
            observation["derivedFrom"][0]["reference"],
            format!("QuestionnaireResponse/{id}")
        );
        assert_eq!(observation["effectiveDateTime"], "2026-01-15T09:00:00Z");
        // The store has it, scored by ferd-core, under the token's name.
        let responses = app
            .store
            .responses(&app.therapist.actor, &app.client_id)
            .await
            .unwrap();
        assert_eq!(responses.len(), 1);
        assert_eq!(responses[0].total, total_of("pcl-5", &PCL5));
        assert_eq!(responses[0].authored_at, 1_768_467_600_000);

        // Read it back, and find it by patient and by date.
        let read = api.get(&format!("/QuestionnaireResponse/{id}")).await;
        assert_eq!((read.status, read.content_type.as_str()), (200, FHIR_JSON));
        assert_eq!(&read.json, stored);
        assert_eq!(read.json["item"].as_array().unwrap().len(), 20);
        for query in [
            format!("patient={}", app.client_id),
            format!("subject={patient}"),
            "authored=2026-01-15".into(),
            "authored=ge2026-01-15T09:00:00Z&authored=lt2026-01-15T09:00:01Z".into(),
            "authored=gt2026-01-14&authored=le2026-01".into(),
            "questionnaire=Questionnaire/pcl-5".into(),
            format!("questionnaire={}", urlencode(&ins.url)),
            format!("_id={id}"),
        ] {
            let s = api.get(&format!("/QuestionnaireResponse?{query}")).await;
            assert_eq!(s.status, 200, "{query}: {}", s.json);
            assert_eq!(s.json["total"], 1, "{query}");
            assert_eq!(&entries(&s.json)[0]["resource"], stored, "{query}");
        }
        for query in [
            "authored=lt2026-01-15T09:00:00Z",
            "authored=gt2026-01-15T09:00:00Z",
            "authored=ne2026-01-15",
            "authored=2025",
            "questionnaire=Questionnaire/phq-9",
            "_id=no-such-response",
        ] {
            let s = api.get(&format!("/QuestionnaireResponse?{query}")).await;
            assert_eq!(
                (s.status, s.json["total"].as_i64()),
                (200, Some(0)),
                "{query}"
            );
        }
        // The other therapist's client is in the practice, so in the token's reach, but has no responses.
        let other = api
            .get(&format!(
                "/QuestionnaireResponse?patient={}",
                app.other_client_id
            ))
            .await;
        assert_eq!(other.json["total"], 0);

        // The Observations, by patient, code and date, and by id.
        let loinc = ins.fhir.loinc_total.clone().unwrap();
        for query in [
            format!("patient={}", app.client_id),
            format!("code=http://loinc.org|{loinc}"),
            format!("code={loinc}"),
            "code=https://ferd.health/fhir/CodeSystem/score|pcl-5.total".into(),
            "code=44249-1,pcl-5.total".into(),
            "date=ge2026-01-15&date=lt2026-01-16".into(),
            "category=survey".into(),
        ] {
            let s = api.get(&format!("/Observation?{query}")).await;
            assert_eq!(s.status, 200, "{query}: {}", s.json);
            assert_eq!(s.json["total"], 1, "{query}");
            assert_eq!(&entries(&s.json)[0]["resource"], observation, "{query}");
        }
        for query in [
            "code=http://loinc.org|44249-1",
            "date=lt2026-01-15",
            "category=laboratory",
        ] {
            let s = api.get(&format!("/Observation?{query}")).await;
            assert_eq!(
                (s.status, s.json["total"].as_i64()),
                (200, Some(0)),
                "{query}"
            );
        }
        let oid = observation["id"].as_str().unwrap();
        let o = api.get(&format!("/Observation/{oid}")).await;
        assert_eq!((o.status, &o.json), (200, observation));
        assert_eq!(api.get(&format!("/Observation/{id}-9")).await.status, 404);

        // Every access was audited under the token's name.
        let events = app.store.audit_events().await.unwrap();
        let by_token: Vec<_> = events
            .iter()
            .filter(|e| e.actor_id.starts_with("api-token:"))
            .collect();
        assert!(by_token
            .iter()
            .any(|e| e.action == "create" && e.entity == "response"));
        assert!(by_token
            .iter()
            .any(|e| e.action == "read" && e.entity == "response" && e.entity_id == id));
        assert!(by_token
            .iter()
            .any(|e| e.action == "search" && e.entity_id == format!("client:{}", app.client_id)));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn searches_come_in_pages_that_split_a_response_s_observations_where_the_page_ends() {
    for backend in backends() {
        let app = spawn(backend).await;
        let t = token(&app, &app.admin, TokenScope::Write).await;
        let api = Fhir::new(&app, Some(&t));
        let patient = format!("Patient/{}", app.client_id);
        // Three PHQ-9s: each makes two Observations (the total, and the PHQ-2 with its own LOINC code).
        let mut ids = Vec::new();
        for day in 1..=3 {
            let values = [day, 1, 1, 1, 1, 1, 1, 1, 0, 1];
            let qr = response_json(
                "phq-9",
                &values,
                &patient,
                &format!("2026-02-0{day}T12:00:00Z"),
            );
            let r = api.post("/QuestionnaireResponse", &qr).await;
            assert_eq!(r.status, 201, "{}", r.json);
            assert_eq!(entries(&r.json).len(), 3);
            ids.push(
                entries(&r.json)[0]["resource"]["id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
        let mut seen = Vec::new();
        let mut next = Some(format!("/Observation?patient={}&_count=4", app.client_id));
        let mut pages = 0;
        while let Some(url) = next {
            let page = api.get(&url).await;
            assert_eq!(page.status, 200, "{}", page.json);
            assert_eq!(page.json["total"], 6);
            for e in entries(&page.json) {
                seen.push(e["resource"]["id"].as_str().unwrap().to_string());
            }
            pages += 1;
            next = link(&page.json, "next");
        }
        assert_eq!(pages, 2);
        let expected: Vec<String> = ids
            .iter()
            .flat_map(|id| [format!("{id}-0"), format!("{id}-1")])
            .collect();
        assert_eq!(seen, expected, "every Observation once, oldest first");
        // The second page starts inside the second response's pair.
        let second = api
            .get(&format!(
                "/Observation?patient={}&_count=3&_offset=3",
                app.client_id
            ))
            .await;
        let got: Vec<String> = entries(&second.json)
            .iter()
            .map(|e| e["resource"]["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, expected[3..6].to_vec());
        assert!(link(&second.json, "previous").is_some());
        // Only the PHQ-2s; and responses two at a time.
        let phq2 = api
            .get("/Observation?code=http://loinc.org|55758-7&_count=2")
            .await;
        assert_eq!(
            (phq2.json["total"].as_i64(), entries(&phq2.json).len()),
            (Some(3), 2)
        );
        let qrs = api.get("/QuestionnaireResponse?_count=2").await;
        assert_eq!(
            (qrs.json["total"].as_i64(), entries(&qrs.json).len()),
            (Some(3), 2)
        );
        let rest = api.get(&link(&qrs.json, "next").unwrap()).await;
        assert_eq!(entries(&rest.json).len(), 1);
        assert_eq!(entries(&rest.json)[0]["resource"]["id"], ids[2].as_str());
        let none = api.get("/QuestionnaireResponse?_count=0").await;
        assert_eq!(
            (none.json["total"].as_i64(), entries(&none.json).len()),
            (Some(3), 0)
        );
        app.cleanup().await;
    }
}

/// Posts `body` and expects a refusal with `status` whose OperationOutcome names `field`.
async fn refused(api: &Fhir, content_type: &str, body: String, status: u16, field: &str) {
    let r = api
        .post_as("/QuestionnaireResponse", content_type, body.clone())
        .await;
    assert_eq!(r.status, status, "{body}\n{}", r.json);
    assert_eq!(r.content_type, FHIR_JSON, "{body}");
    assert_eq!(r.expression(), field, "{body}\n{}", r.json);
    assert_eq!(r.json["issue"][0]["severity"], "error");
    assert!(!r.json["issue"][0]["diagnostics"]
        .as_str()
        .unwrap_or("")
        .is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_with_an_operation_outcome_naming_the_field_and_stores_nothing() {
    for backend in backends() {
        let app = spawn(backend).await;
        let t = token(&app, &app.admin, TokenScope::Write).await;
        let api = Fhir::new(&app, Some(&t));
        let patient = format!("Patient/{}", app.client_id);
        let good = response_json("pcl-5", &PCL5, &patient, "2026-01-15T10:00:00+01:00");
        let with = |f: &dyn Fn(&mut Value)| {
            let mut v = good.clone();
            f(&mut v);
            v.to_string()
        };
        let fj = "application/fhir+json";
        refused(
            &api,
            fj,
            with(&|v| v["resourceType"] = "Observation".into()),
            400,
            "QuestionnaireResponse.resourceType",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["questionnaire"] = "https://example.org/q/unknown".into()),
            422,
            "QuestionnaireResponse.questionnaire",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| {
                v["item"].as_array_mut().unwrap().pop();
            }),
            422,
            "QuestionnaireResponse.item.where(linkId='pcl-5-20')",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["item"][2]["answer"][0] = json!({ "valueInteger": 7 })),
            422,
            "QuestionnaireResponse.item.where(linkId='pcl-5-3').answer",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["item"][4]["answer"][0]["valueCoding"]["code"] = "LA-nonsense".into()),
            400,
            "QuestionnaireResponse.item[4].answer[0].valueCoding.code",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["status"] = "in-progress".into()),
            400,
            "QuestionnaireResponse.status",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["authored"] = "2026-01-15T10:00:00".into()),
            400,
            "QuestionnaireResponse.authored",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["authored"] = "2026-01-15".into()),
            422,
            "QuestionnaireResponse.authored",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["authored"] = "2999-01-15T10:00:00Z".into()),
            422,
            "QuestionnaireResponse.authored",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["score"] = 55.into()),
            400,
            "QuestionnaireResponse",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| {
                v.as_object_mut().unwrap().remove("subject");
            }),
            422,
            "QuestionnaireResponse.subject",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["subject"] = json!({ "reference": "Group/1" })),
            422,
            "QuestionnaireResponse.subject.reference",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["subject"] = json!({ "display": "Kari" })),
            422,
            "QuestionnaireResponse.subject.reference",
        )
        .await;
        // Another practice's client is no client of this token's practice: the same answer as one that does not exist.
        let foreign = format!("Patient/{}", app.foreign_client_id);
        refused(
            &api,
            fj,
            with(&|v| v["subject"] = json!({ "reference": foreign })),
            422,
            "QuestionnaireResponse.subject.reference",
        )
        .await;
        refused(
            &api,
            fj,
            with(&|v| v["subject"] = json!({ "reference": "Patient/does-not-exist" })),
            422,
            "QuestionnaireResponse.subject.reference",
        )
        .await;
        refused(
            &api,
            fj,
            "{\"resourceType\": \"QuestionnaireResponse\",".into(),
            400,
            "QuestionnaireResponse",
        )
        .await;
        refused(&api, fj, "[]".into(), 400, "QuestionnaireResponse").await;
        refused(&api, "text/plain", good.to_string(), 415, "Content-Type").await;
        refused(
            &api,
            "application/xml",
            good.to_string(),
            415,
            "Content-Type",
        )
        .await;
        refused(
            &api,
            "application/fhir+json; charset=iso-8859-1",
            good.to_string(),
            415,
            "Content-Type",
        )
        .await;
        // application/json is accepted as well as application/fhir+json … (this one is stored, and removed below).
        assert_eq!(
            api.post_as(
                "/QuestionnaireResponse",
                "application/json; charset=utf-8",
                good.to_string()
            )
            .await
            .status,
            201
        );
        let stored = app
            .store
            .responses(&app.therapist.actor, &app.client_id)
            .await
            .unwrap();
        assert_eq!(stored.len(), 1, "only the good one was stored");
        let foreign_stored = app
            .store
            .responses(&app.foreign_therapist.actor, &app.foreign_client_id)
            .await
            .unwrap();
        assert!(foreign_stored.is_empty());

        // Reads and searches: wrong parameters, formats, types and methods.
        for (path, status, field) in [
            (
                "/QuestionnaireResponse?patinet=1".to_string(),
                400,
                "patinet",
            ),
            (
                "/QuestionnaireResponse?patient:missing=true".into(),
                400,
                "patient:missing",
            ),
            (
                "/QuestionnaireResponse?authored=15.01.2026".into(),
                400,
                "authored",
            ),
            (
                "/QuestionnaireResponse?authored=ap2026-01-15".into(),
                400,
                "authored",
            ),
            (
                "/QuestionnaireResponse?patient=Group/1".into(),
                400,
                "patient",
            ),
            (
                "/QuestionnaireResponse?patient=a&patient=b".into(),
                400,
                "patient",
            ),
            (
                "/QuestionnaireResponse?questionnaire=nope".into(),
                400,
                "questionnaire",
            ),
            ("/QuestionnaireResponse?_count=-1".into(), 400, "_count"),
            ("/QuestionnaireResponse?_count=100000".into(), 400, "_count"),
            ("/Observation?code=|".into(), 400, "code"),
            ("/Observation?date=2026-13".into(), 400, "date"),
            ("/Encounter?date=tomorrow".into(), 400, "date"),
            ("/Questionnaire?version=1".into(), 400, "version"),
            ("/Patient/x?_format=xml".into(), 406, "_format"),
            ("/Questionnaire/pcl-5?_pretty=maybe".into(), 400, "_pretty"),
            ("/Questionnaire/nope".into(), 404, ""),
            (format!("/Patient/{}", app.foreign_client_id), 404, ""),
            ("/QuestionnaireResponse/does-not-exist".into(), 404, ""),
            ("/Medication".into(), 404, "url"),
            ("/Patient".into(), 404, "url"),
            ("/".into(), 404, "url"),
        ] {
            let r = api.get(&path).await;
            assert_eq!(r.status, status, "{path}: {}", r.json);
            assert_eq!(r.content_type, FHIR_JSON, "{path}");
            assert_eq!(r.expression(), field, "{path}: {}", r.json);
        }
        // Unknown parameters are ignored when the client asks for lenient handling, and the self link leaves them out.
        let lenient = api
            .send(
                api.http
                    .get(format!("{}/QuestionnaireResponse?patinet=1", api.base))
                    .header("prefer", "handling=lenient"),
            )
            .await;
        assert_eq!(
            (lenient.status, lenient.json["total"].as_i64()),
            (200, Some(1))
        );
        assert!(!link(&lenient.json, "self").unwrap().contains("patinet"));
        let xml = api
            .send(
                api.http
                    .get(format!("{}/Questionnaire/pcl-5", api.base))
                    .header("accept", "application/fhir+xml"),
            )
            .await;
        assert_eq!((xml.status, xml.expression().as_str()), (406, "Accept"));
        let browser = api
            .send(
                api.http
                    .get(format!("{}/Questionnaire/pcl-5", api.base))
                    .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
            )
            .await;
        assert_eq!(
            (browser.status, browser.content_type.as_str()),
            (200, FHIR_JSON)
        );
        let delete = api
            .send(api.http.delete(format!(
                "{}/QuestionnaireResponse/{}",
                api.base, stored[0].id
            )))
            .await;
        assert_eq!((delete.status, delete.allow.as_str()), (405, "GET"));
        assert_eq!(delete.content_type, FHIR_JSON);
        assert_eq!(delete.json["resourceType"], "OperationOutcome");
        let put = api
            .send(
                api.http
                    .put(format!("{}/QuestionnaireResponse", api.base))
                    .body("{}"),
            )
            .await;
        assert_eq!((put.status, put.allow.as_str()), (405, "GET, POST"));
        assert_eq!(
            app.store
                .responses(&app.therapist.actor, &app.client_id)
                .await
                .unwrap()
                .len(),
            1
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_read_only_token_reads_but_may_not_create_and_no_token_gets_nothing() {
    for backend in backends() {
        let app = spawn(backend).await;
        let read = token(&app, &app.admin, TokenScope::Read).await;
        let api = Fhir::new(&app, Some(&read));
        let patient = format!("Patient/{}", app.client_id);
        let qr = response_json("phq-9", &[1; 10], &patient, "2026-01-15T10:00:00Z");
        let r = api.post("/QuestionnaireResponse", &qr).await;
        assert_eq!((r.status, r.content_type.as_str()), (403, FHIR_JSON));
        assert_eq!(r.json["issue"][0]["code"], "forbidden");
        assert!(app
            .store
            .responses(&app.therapist.actor, &app.client_id)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            api.get(&format!("/Patient/{}", app.client_id)).await.status,
            200
        );
        assert_eq!(api.get("/QuestionnaireResponse").await.status, 200);

        let nobody = Fhir::new(&app, None);
        for path in [
            "/Questionnaire".to_string(),
            format!("/Patient/{}", app.client_id),
            "/Observation".into(),
        ] {
            let r = nobody.get(&path).await;
            assert_eq!(
                (r.status, r.content_type.as_str()),
                (401, FHIR_JSON),
                "{path}"
            );
            assert_eq!(r.json["issue"][0]["code"], "login");
        }
        let r = nobody.post("/QuestionnaireResponse", &qr).await;
        assert_eq!(r.status, 401);
        let r = Fhir::new(&app, Some("ferd_not-a-token"))
            .post("/QuestionnaireResponse", &qr)
            .await;
        assert_eq!(r.status, 401);
        assert!(app
            .store
            .responses(&app.therapist.actor, &app.client_id)
            .await
            .unwrap()
            .is_empty());
        app.cleanup().await;
    }
}

/// Practice A's client with a journey (two protocol sessions, one by video, one held in person and one missed) and
/// a response; returns the journey id.
async fn with_journey(app: &TestApp) -> String {
    let therapist = &app.therapist.actor;
    let start = 1_800_000_000_000; // 2027-01-15T08:00:00Z
    let journey = app
        .store
        .start_protocol(
            therapist,
            &app.client_id,
            "integration-only",
            &[
                PlannedSessionRow {
                    plan_key: "integration.1".into(),
                    kind: "integration".into(),
                    contact: "video".into(),
                    scheduled_at: start,
                    duration_minutes: 90,
                },
                PlannedSessionRow {
                    plan_key: "integration.2".into(),
                    kind: "integration".into(),
                    contact: "in-person".into(),
                    scheduled_at: start + 7 * 86_400_000,
                    duration_minutes: 60,
                },
            ],
            &[],
        )
        .await
        .unwrap();
    let held = app
        .store
        .add_session(
            therapist,
            NewSession {
                client_id: app.client_id.clone(),
                journey_id: Some(journey.clone()),
                kind: "intake".into(),
                scheduled_at: start - 7 * 86_400_000,
                duration_minutes: 50,
                place: Some("Room 2".into()),
                note: Some("a session note that must not leave through an Encounter".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.store
        .update_session(therapist, &held.id, "held", None)
        .await
        .unwrap();
    let missed = app
        .store
        .add_session(
            therapist,
            NewSession {
                client_id: app.client_id.clone(),
                kind: "follow-up".into(),
                scheduled_at: start - 14 * 86_400_000,
                duration_minutes: 30,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.store
        .update_session(therapist, &missed.id, "missed", None)
        .await
        .unwrap();
    app.store
        .record_response(
            therapist,
            &app.client_id,
            None,
            "phq-9",
            &[Some(2); 10],
            start - 86_400_000,
        )
        .await
        .unwrap();
    journey
}

#[tokio::test]
async fn sessions_are_encounters_and_the_journey_a_care_plan() {
    for backend in backends() {
        let app = spawn(backend).await;
        let journey = with_journey(&app).await;
        let t = token(&app, &app.admin, TokenScope::Read).await;
        let api = Fhir::new(&app, Some(&t));
        let s = api
            .get(&format!("/Encounter?patient={}", app.client_id))
            .await;
        assert_eq!(s.status, 200, "{}", s.json);
        assert_eq!(s.json["total"], 4);
        let enc: Vec<Value> = entries(&s.json)
            .into_iter()
            .map(|e| e["resource"].clone())
            .collect();
        // Oldest first: the missed follow-up, the held intake, the video session, the one in person.
        let statuses: Vec<&str> = enc.iter().map(|e| e["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["cancelled", "finished", "planned", "planned"]);
        let classes: Vec<&str> = enc
            .iter()
            .map(|e| e["class"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(classes, ["AMB", "AMB", "VR", "AMB"]);
        for e in &enc {
            assert_eq!(
                e["class"]["system"],
                "http://terminology.hl7.org/CodeSystem/v3-ActCode"
            );
            assert_eq!(
                e["subject"]["reference"],
                format!("Patient/{}", app.client_id)
            );
            assert!(
                !e.to_string().contains("session note"),
                "no notes in an Encounter"
            );
        }
        assert_eq!(enc[1]["location"][0]["location"]["display"], "Room 2");
        assert_eq!(enc[2]["period"]["start"], "2027-01-15T08:00:00Z");
        assert_eq!(enc[2]["period"]["end"], "2027-01-15T09:30:00Z");
        assert_eq!(enc[2]["length"]["value"], 90);
        let one = api
            .get(&format!("/Encounter/{}", enc[2]["id"].as_str().unwrap()))
            .await;
        assert_eq!((one.status, &one.json), (200, &enc[2]));
        let day = api.get("/Encounter?date=2027-01-15").await;
        assert_eq!(day.json["total"], 1);
        let later = api
            .get(&format!(
                "/Encounter?subject=Patient/{}&date=ge2027-01-15",
                app.client_id
            ))
            .await;
        assert_eq!(later.json["total"], 2);

        let plans = api
            .get(&format!("/CarePlan?patient={}", app.client_id))
            .await;
        assert_eq!(plans.json["total"], 1, "{}", plans.json);
        let plan = &entries(&plans.json)[0]["resource"];
        assert_eq!(plan["id"], journey.as_str());
        assert_eq!(
            (plan["status"].as_str(), plan["intent"].as_str()),
            (Some("active"), Some("plan"))
        );
        let activities = plan["activity"].as_array().unwrap();
        assert_eq!(
            activities.len(),
            3,
            "the journey's three sessions, not the follow-up outside it"
        );
        let activity_status: Vec<&str> = activities
            .iter()
            .map(|a| a["detail"]["status"].as_str().unwrap())
            .collect();
        assert_eq!(activity_status, ["completed", "scheduled", "scheduled"]);
        assert_eq!(
            activities[1]["outcomeReference"][0]["reference"],
            format!("Encounter/{}", enc[2]["id"].as_str().unwrap())
        );
        let read = api.get(&format!("/CarePlan/{journey}")).await;
        assert_eq!((read.status, &read.json), (200, plan));
        // The journey moves on: paused is on-hold.
        app.store
            .journey_event(
                &app.therapist.actor,
                &app.client_id,
                ferd_core::journey::JourneyEvent::Pause,
            )
            .await
            .unwrap()
            .unwrap();
        let paused = api.get(&format!("/CarePlan/{journey}")).await;
        assert_eq!(paused.json["status"], "on-hold");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_token_reaches_its_own_practice_only() {
    for backend in backends() {
        let app = spawn(backend).await;
        let journey = with_journey(&app).await;
        let ours = Fhir::new(
            &app,
            Some(&token(&app, &app.admin, TokenScope::Write).await),
        );
        let theirs = Fhir::new(
            &app,
            Some(&token(&app, &app.foreign_therapist, TokenScope::Write).await),
        );
        let qr = response_json(
            "pcl-5",
            &PCL5,
            &format!("Patient/{}", app.client_id),
            "2026-03-01T10:00:00Z",
        );
        let created = ours.post("/QuestionnaireResponse", &qr).await;
        assert_eq!(created.status, 201);
        let rid = entries(&created.json)[0]["resource"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let sessions = ours
            .get(&format!("/Encounter?patient={}", app.client_id))
            .await;
        let eid = entries(&sessions.json)[0]["resource"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let a = &app.client_id;
        for path in [
            format!("/Patient/{a}"),
            format!("/Patient/{a}/$everything"),
            format!("/QuestionnaireResponse/{rid}"),
            format!("/Observation/{rid}-0"),
            format!("/Encounter/{eid}"),
            format!("/CarePlan/{journey}"),
        ] {
            assert_eq!(ours.get(&path).await.status, 200, "{path}");
            let r = theirs.get(&path).await;
            assert_eq!(
                (r.status, r.content_type.as_str()),
                (404, FHIR_JSON),
                "{path}"
            );
            assert_eq!(r.json["issue"][0]["code"], "not-found");
        }
        for path in [
            format!("/QuestionnaireResponse?patient={a}"),
            "/QuestionnaireResponse".into(),
            format!("/Observation?patient={a}"),
            "/Observation".into(),
            format!("/Encounter?patient={a}"),
            "/Encounter".into(),
            format!("/CarePlan?patient={a}"),
            format!("/CarePlan?_id={journey}"),
        ] {
            let r = theirs.get(&path).await;
            assert_eq!(
                (r.status, r.json["total"].as_i64()),
                (200, Some(0)),
                "{path}"
            );
            assert!(
                ours.get(&path).await.json["total"].as_i64().unwrap() > 0,
                "{path}"
            );
        }
        // The foreign practice's own client is theirs to read, and not ours.
        let f = &app.foreign_client_id;
        assert_eq!(theirs.get(&format!("/Patient/{f}")).await.status, 200);
        assert_eq!(ours.get(&format!("/Patient/{f}")).await.status, 404);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_capability_statement_lists_exactly_what_answers() {
    let app = spawn("sqlite").await;
    with_journey(&app).await;
    let api = Fhir::new(&app, Some(&token(&app, &app.admin, TokenScope::Read).await));
    let m = Fhir::new(&app, None).get("/metadata").await;
    let cs = &m.json;
    assert_eq!(cs["resourceType"], "CapabilityStatement");
    assert_eq!(
        (cs["kind"].as_str(), cs["fhirVersion"].as_str()),
        (Some("instance"), Some("4.0.1"))
    );
    assert_eq!(cs["format"], json!(["json"]));
    let rest = &cs["rest"][0];
    assert_eq!(rest["mode"], "server");
    assert!(rest["security"]["description"]
        .as_str()
        .unwrap()
        .contains("Bearer"));
    let types: Vec<&str> = rest["resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "Questionnaire",
            "QuestionnaireResponse",
            "Observation",
            "Patient",
            "Encounter",
            "CarePlan"
        ]
    );
    let client = &app.client_id;
    let sample = |name: &str, type_: &str| -> String {
        match (name, type_) {
            ("_id", _) => "pcl-5".into(),
            ("url", _) => Catalogue::builtin().get("pcl-5").unwrap().url.clone(),
            ("questionnaire", _) => "Questionnaire/phq-9".into(),
            ("code", _) => "http://loinc.org|44249-1".into(),
            ("category", _) => "survey".into(),
            (_, "reference") => format!("Patient/{client}"),
            (_, "date") => "ge2020-01-01".into(),
            (_, "string") => "P".into(),
            other => panic!("no sample for {other:?}"),
        }
    };
    for r in rest["resource"].as_array().unwrap() {
        let t = r["type"].as_str().unwrap();
        for i in r["interaction"].as_array().unwrap() {
            let (path, status) = match (t, i["code"].as_str().unwrap()) {
                ("Questionnaire", "read") => ("/Questionnaire/pcl-5".to_string(), 200),
                ("Patient", "read") => (format!("/Patient/{client}"), 200),
                ("Encounter" | "CarePlan", "read") => {
                    let s = api.get(&format!("/{t}?patient={client}")).await;
                    (
                        format!(
                            "/{t}/{}",
                            entries(&s.json)[0]["resource"]["id"].as_str().unwrap()
                        ),
                        200,
                    )
                }
                ("QuestionnaireResponse" | "Observation", "read") => {
                    let s = api.get(&format!("/{t}?patient={client}")).await;
                    (
                        format!(
                            "/{t}/{}",
                            entries(&s.json)[0]["resource"]["id"].as_str().unwrap()
                        ),
                        200,
                    )
                }
                (_, "search-type") => (format!("/{t}"), 200),
                ("QuestionnaireResponse", "create") => continue, // the other tests create
                other => panic!("untested interaction {other:?}"),
            };
            let r = api.get(&path).await;
            assert_eq!(r.status, status, "{t} {}: {path}: {}", i["code"], r.json);
        }
        for p in r["searchParam"].as_array().into_iter().flatten() {
            let name = p["name"].as_str().unwrap();
            let value = sample(name, p["type"].as_str().unwrap());
            let path = format!("/{t}?{name}={}", urlencode(&value));
            let r = api.get(&path).await;
            assert_eq!(r.status, 200, "{path}: {}", r.json);
            assert_eq!(r.json["type"], "searchset");
        }
        for o in r["operation"].as_array().into_iter().flatten() {
            assert_eq!((t, o["name"].as_str()), ("Patient", Some("everything")));
            let e = api.get(&format!("/Patient/{client}/$everything")).await;
            assert_eq!(e.status, 200);
            assert_eq!(e.json["type"], "searchset");
            assert_eq!(
                entries(&e.json)[0]["fullUrl"],
                format!("{}/fhir/Patient/{client}", app.base)
            );
            // No research id: it would link the named client to the pseudonymous research export.
            assert!(
                !e.json.to_string().contains("research-id"),
                "{}",
                entries(&e.json)[0]["resource"]
            );
        }
    }
    app.cleanup().await;
}

/// Fails on anything FHIR JSON forbids that a schema-driven validator lets through: empty arrays, objects and
/// strings, and nulls.
fn assert_no_empty(v: &Value, path: &str) {
    match v {
        Value::Null => panic!("{path}: null"),
        Value::String(s) => assert!(!s.trim().is_empty(), "{path}: empty string"),
        Value::Array(a) => {
            assert!(!a.is_empty(), "{path}: empty array");
            for (i, x) in a.iter().enumerate() {
                assert_no_empty(x, &format!("{path}[{i}]"));
            }
        }
        Value::Object(o) => {
            assert!(!o.is_empty(), "{path}: empty object");
            for (k, x) in o {
                assert_no_empty(x, &format!("{path}.{k}"));
            }
        }
        _ => {}
    }
}

/// Whether tests/fhir-validators is installed; its absence fails the test when FERD_REQUIRE_FHIR_VALIDATORS=1 (CI).
fn validators_available(harness: &Path) -> bool {
    let installed = Command::new("bash")
        .arg(harness.join("setup.sh"))
        .arg("--check")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed && std::env::var("FERD_REQUIRE_FHIR_VALIDATORS").is_ok_and(|v| v == "1") {
        panic!("FERD_REQUIRE_FHIR_VALIDATORS=1 but the validators are not installed: run tests/fhir-validators/setup.sh");
    }
    if !installed {
        eprintln!("SKIPPED: FHIR validators not installed (run tests/fhir-validators/setup.sh)");
    }
    installed
}

#[tokio::test]
async fn every_resource_the_fhir_api_produces_validates_with_fhir_resources_and_medplum() {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fhir-validators");
    if !validators_available(&harness) {
        return;
    }
    for backend in backends() {
        let app = spawn(backend).await;
        let journey = with_journey(&app).await;
        let api = Fhir::new(
            &app,
            Some(&token(&app, &app.admin, TokenScope::Write).await),
        );
        let read_only = Fhir::new(&app, Some(&token(&app, &app.admin, TokenScope::Read).await));
        let patient = format!("Patient/{}", app.client_id);
        let c = &app.client_id;
        let mut docs: Vec<(String, Value)> = Vec::new();
        docs.push((
            "metadata".into(),
            Fhir::new(&app, None).get("/metadata").await.json,
        ));
        for ins in Catalogue::builtin().iter() {
            let q = api.get(&format!("/Questionnaire/{}", ins.id)).await;
            assert_eq!(q.status, 200);
            docs.push((format!("questionnaire-{}", ins.id), q.json));
        }
        let cases: [(&str, &[i64]); 7] = [
            ("pcl-5", &PCL5),
            ("pcl-5-week", &[1; 20]),
            ("pc-ptsd-5", &[1, 1, 1, 1, 1, 0]),
            ("phq-9", &[3, 3, 3, 3, 2, 3, 2, 1, 1, 2]),
            ("phq-9", &[0; 9]),
            ("gad-7", &[3, 3, 3, 2, 2, 3, 2]),
            ("who-5", &[5, 4, 3, 2, 1]),
        ];
        for (k, (id, values)) in cases.iter().enumerate() {
            let qr = response_json(
                id,
                values,
                &patient,
                &format!("2026-04-0{}T10:00:00+02:00", k + 1),
            );
            let created = api.post("/QuestionnaireResponse", &qr).await;
            assert_eq!(created.status, 201, "{id}: {}", created.json);
            let rid = entries(&created.json)[0]["resource"]["id"]
                .as_str()
                .unwrap()
                .to_string();
            docs.push((format!("created-{k}-{id}"), created.json));
            docs.push((
                format!("read-{k}-{id}"),
                api.get(&format!("/QuestionnaireResponse/{rid}")).await.json,
            ));
            docs.push((
                format!("observation-{k}-{id}"),
                api.get(&format!("/Observation/{rid}-0")).await.json,
            ));
        }
        // The gate closed: only the first PC-PTSD-5 question answered.
        let gate = json!({
            "resourceType": "QuestionnaireResponse",
            "questionnaire": Catalogue::builtin().get("pc-ptsd-5").unwrap().url,
            "status": "completed",
            "subject": { "reference": patient },
            "item": [{ "linkId": "pc-ptsd-5-exposure", "answer": [{ "valueBoolean": false }] }],
        });
        let closed = api.post("/QuestionnaireResponse", &gate).await;
        assert_eq!(closed.status, 201, "{}", closed.json);
        docs.push(("created-gate-closed".into(), closed.json));
        for (name, path) in [
            ("questionnaires", "/Questionnaire".to_string()),
            ("responses", format!("/QuestionnaireResponse?patient={c}")),
            ("observations", format!("/Observation?patient={c}&_count=5")),
            ("patient", format!("/Patient/{c}")),
            ("everything", format!("/Patient/{c}/$everything")),
            ("encounters", format!("/Encounter?patient={c}")),
            ("care-plans", format!("/CarePlan?patient={c}")),
            ("care-plan", format!("/CarePlan/{journey}")),
            ("empty-search", "/Encounter?date=1999".into()),
            ("not-found", "/Patient/nobody".into()),
            ("bad-parameter", "/Observation?date=soon".into()),
            ("unknown-type", "/Medication".into()),
        ] {
            let r = api.get(&path).await;
            assert_eq!(r.content_type, FHIR_JSON, "{path}");
            docs.push((name.into(), r.json));
        }
        let encounters = api.get(&format!("/Encounter?patient={c}")).await;
        for (k, e) in entries(&encounters.json).iter().enumerate() {
            let id = e["resource"]["id"].as_str().unwrap();
            docs.push((
                format!("encounter-{k}"),
                api.get(&format!("/Encounter/{id}")).await.json,
            ));
        }
        let bad = api
            .post_as("/QuestionnaireResponse", "text/plain", "x".into())
            .await;
        docs.push(("unsupported-media-type".into(), bad.json));
        let mut missing = response_json("pcl-5", &PCL5, &patient, "2026-01-15T10:00:00Z");
        missing["item"].as_array_mut().unwrap().pop();
        docs.push((
            "incomplete".into(),
            api.post("/QuestionnaireResponse", &missing).await.json,
        ));
        docs.push((
            "forbidden".into(),
            read_only.post("/QuestionnaireResponse", &gate).await.json,
        ));
        docs.push((
            "unauthorized".into(),
            Fhir::new(&app, None).get("/Observation").await.json,
        ));

        let dir = std::env::temp_dir().join(format!("ferd-fhir-api-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, doc) in &docs {
            assert_no_empty(doc, name);
            std::fs::write(
                dir.join(format!("{name}.json")),
                serde_json::to_string_pretty(doc).unwrap(),
            )
            .unwrap();
        }
        let out = Command::new("bash")
            .arg(harness.join("validate.sh"))
            .arg(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{backend}: validators refused:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!(
                "fhir validators: {} files, fhir.resources ok, medplum ok",
                docs.len()
            )),
            "{stdout}"
        );
        std::fs::remove_dir_all(&dir).ok();
        app.cleanup().await;
    }
}
