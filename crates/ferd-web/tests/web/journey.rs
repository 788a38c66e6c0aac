//! The client journey over HTTP: a protocol plans the sessions, the screening form gives cited findings, a named
//! clinician clears, and the guards hold until then.

use crate::common::*;

#[tokio::test]
async fn the_safety_gates_hold_from_intake_through_screening_and_clearance_to_a_booked_medicine_session(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let c = app.client_id.clone();
        let mut t = app.signed_in(&app.therapist).await;
        t.get(&format!("/clients/{c}")).await;
        let r = t
            .post(
                &format!("/clients/{c}/journey/start"),
                &[
                    ("protocol", "mdma-at"),
                    ("start_date", "2030-01-07"),
                    ("weekdays_only", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}: {}", r.body);
        let sessions = app.store.sessions(&app.therapist.actor, &c).await.unwrap();
        assert!(
            sessions.iter().any(|s| s.kind == "preparation"),
            "{backend}: the template's sessions are planned"
        );
        assert!(
            sessions.iter().all(|s| s.kind != "medicine"),
            "{backend}: no medicine session before the guard allows it"
        );
        assert!(
            !app.store
                .assessments(&app.therapist.actor, &c)
                .await
                .unwrap()
                .is_empty(),
            "and its questionnaires"
        );

        // Moving a planned session within reach is fine; far outside its window, the page says so.
        let prep2 = sessions
            .iter()
            .find(|s| s.plan_key.as_deref() == Some("preparation.2"))
            .expect("preparation 2 planned");
        t.get(&format!("/clients/{c}")).await;
        let r = t
            .post(
                &format!("/sessions/{}/reschedule", prep2.id),
                &[("date", "2030-06-03"), ("time", "10:00"), ("client_id", &c)],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}");
        let page = t.get(&format!("/clients/{c}")).await;
        assert!(
            page.body.contains("utenfor protokollens tidsvinduer"),
            "{backend}: the deviation is shown"
        );
        let r = t
            .post(
                &format!("/sessions/{}/reschedule", prep2.id),
                &[("date", "2030-02-31"), ("time", "10:00"), ("client_id", &c)],
            )
            .await;
        assert_eq!(r.status, 400, "a date that does not exist is refused");

        let medicine = [
            ("date", "2030-03-04"),
            ("time", "09:00"),
            ("duration_minutes", "480"),
            ("clinic", "Sykehuset Østfold"),
            ("responsible", "Dr. Lege"),
            ("referral_note", ""),
        ];
        // No screening, no clearance: booking a medicine session and moving to preparation are refused.
        t.get(&format!("/clients/{c}")).await;
        let r = t.post(&format!("/clients/{c}/medicine"), &medicine).await;
        assert_eq!(r.status, 422, "{backend}");
        assert!(r.body.contains("id=\"page-error\""));
        assert_eq!(
            t.post(
                &format!("/clients/{c}/journey/event"),
                &[("event", "move"), ("phase", "screening")]
            )
            .await
            .status,
            303
        );
        let r = t
            .post(
                &format!("/clients/{c}/journey/event"),
                &[("event", "move"), ("phase", "preparation")],
            )
            .await;
        assert_eq!(
            r.status, 422,
            "{backend}: preparation needs a signed clearance"
        );

        // The client sends the health form; an MAOI (moclobemide, brand Aurorix) is an exclusion with its source.
        let mut client = app.signed_in(&app.client).await;
        client.get("/portal/intake").await;
        let r = client
            .post(
                "/portal/intake",
                &[
                    ("med-0", "Aurorix 150 mg"),
                    ("med-0-stopped", ""),
                    ("condition", "hypertension"),
                    ("family", "no"),
                    ("psychosis", "no"),
                    ("mania", "no"),
                    ("age", "41"),
                    ("blood_pressure", "128/82"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}: {}", r.body);
        let bad = client
            .post(
                "/portal/intake",
                &[
                    ("med-0", "Zoloft"),
                    ("med-0-stopped", "soon"),
                    ("family", "no"),
                    ("psychosis", "no"),
                    ("mania", "no"),
                    ("age", "x"),
                ],
            )
            .await;
        assert_eq!(
            bad.status, 422,
            "a stop date that is no date is named, and nothing is stored"
        );
        let screenings = app
            .store
            .screenings(&app.therapist.actor, &c)
            .await
            .unwrap();
        assert_eq!(screenings.len(), 1, "{backend}");
        assert_eq!(screenings[0].worst_severity.as_deref(), Some("exclusion"));
        let page = t.get(&format!("/clients/{c}")).await;
        assert!(
            page.body.contains("Aurorix 150 mg") && page.body.contains("severity-exclusion"),
            "{backend}: the therapist sees the finding"
        );
        assert!(
            page.body.contains("name=\"decision\""),
            "and a form to decide"
        );

        // A refusal needs a reason; a clearance is recorded in the clinician's name.
        let sid = screenings[0].id.clone();
        let r = t
            .post(
                &format!("/clients/{c}/clearance"),
                &[
                    ("screening_id", &sid),
                    ("decision", "refused"),
                    ("comment", " "),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        // Clearing despite an exclusion needs the clinician's reasons.
        let r = t
            .post(
                &format!("/clients/{c}/clearance"),
                &[
                    ("screening_id", &sid),
                    ("decision", "cleared"),
                    ("comment", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{backend}");
        let r = t
            .post(
                &format!("/clients/{c}/clearance"),
                &[
                    ("screening_id", &sid),
                    ("decision", "cleared"),
                    (
                        "comment",
                        "Aurorix stoppet i samråd med fastlege; utvasking 2 uker før start.",
                    ),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}: {}", r.body);
        let screenings = app
            .store
            .screenings(&app.therapist.actor, &c)
            .await
            .unwrap();
        assert_eq!(
            screenings[0]
                .decision
                .as_ref()
                .map(|d| d.clinician.as_str()),
            Some("Tor Terapeut")
        );
        // A client cannot record a clearance.
        client.get("/portal").await;
        assert_eq!(
            client
                .post(
                    &format!("/clients/{c}/clearance"),
                    &[
                        ("screening_id", &sid),
                        ("decision", "cleared"),
                        ("comment", "")
                    ]
                )
                .await
                .status,
            403
        );

        // Cleared: preparation is open, but the medicine session still waits for the preparation sessions.
        t.get(&format!("/clients/{c}")).await;
        assert_eq!(
            t.post(
                &format!("/clients/{c}/journey/event"),
                &[("event", "move"), ("phase", "preparation")]
            )
            .await
            .status,
            303,
            "{backend}"
        );
        assert_eq!(
            t.post(&format!("/clients/{c}/medicine"), &medicine)
                .await
                .status,
            422,
            "{backend}: preparation not held yet"
        );
        for s in app
            .store
            .sessions(&app.therapist.actor, &c)
            .await
            .unwrap()
            .iter()
            .filter(|s| s.kind == "preparation")
        {
            assert_eq!(
                t.post(
                    &format!("/sessions/{}", s.id),
                    &[("status", "held"), ("note", ""), ("client_id", &c)]
                )
                .await
                .status,
                303
            );
        }
        t.get(&format!("/clients/{c}")).await;
        let r = t.post(&format!("/clients/{c}/medicine"), &medicine).await;
        assert_eq!(
            r.status,
            303,
            "{backend}: {}",
            r.body.chars().take(500).collect::<String>()
        );
        let sessions = app.store.sessions(&app.therapist.actor, &c).await.unwrap();
        let booked = sessions
            .iter()
            .find(|s| s.kind == "medicine")
            .expect("booked");
        assert!(
            booked
                .external
                .as_deref()
                .is_some_and(|e| e.contains("Sykehuset Østfold")),
            "the medicine session is external, where and by whom"
        );
        assert!(
            t.get(&format!("/clients/{c}"))
                .await
                .body
                .contains("Sykehuset Østfold"),
            "and the page says so"
        );
        let external = app
            .store
            .medicine_session_external(&app.therapist.actor, &booked.id)
            .await
            .unwrap()
            .unwrap();
        assert!(external.contains("Sykehuset Østfold") && external.contains("Dr. Lege"));
        // Without the clinic and the clinician responsible, nothing is booked.
        let r = t
            .post(
                &format!("/clients/{c}/medicine"),
                &[
                    ("date", "2030-04-01"),
                    ("time", "09:00"),
                    ("duration_minutes", "480"),
                    ("clinic", ""),
                    ("responsible", ""),
                    ("referral_note", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(
            app.store
                .sessions(&app.therapist.actor, &c)
                .await
                .unwrap()
                .iter()
                .filter(|s| s.kind == "medicine")
                .count(),
            1
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_clinician_recorded_risk_assessment_with_intent_raises_an_alert_that_waits_for_what_was_done(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let c = app.client_id.clone();
        let mut t = app.signed_in(&app.therapist).await;
        t.get(&format!("/clients/{c}")).await;
        // Level 2 (non-specific thoughts): recorded, no alert. Level 4 (some intent): an alert at once.
        let r = t
            .post(
                &format!("/clients/{c}/risk"),
                &[
                    ("ideation_level", "2"),
                    ("date", "2030-01-07"),
                    ("note", "Passive tanker, ingen plan."),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}");
        assert!(app
            .store
            .client_alerts(&app.therapist.actor, &c)
            .await
            .unwrap()
            .is_empty());
        let r = t
            .post(
                &format!("/clients/{c}/risk"),
                &[
                    ("ideation_level", "4"),
                    ("date", "2030-01-08"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let alerts = app
            .store
            .client_alerts(&app.therapist.actor, &c)
            .await
            .unwrap();
        assert_eq!(alerts.len(), 1, "{backend}");
        assert_eq!(alerts[0].kind, "suicidal-ideation");
        assert_eq!(alerts[0].instrument.as_deref(), Some("c-ssrs"));
        // Out of range, or a client: refused, nothing stored.
        assert_eq!(
            t.post(
                &format!("/clients/{c}/risk"),
                &[
                    ("ideation_level", "7"),
                    ("date", "2030-01-08"),
                    ("note", "")
                ]
            )
            .await
            .status,
            400
        );
        let mut client = app.signed_in(&app.client).await;
        assert_eq!(
            client
                .post(
                    &format!("/clients/{c}/risk"),
                    &[
                        ("ideation_level", "0"),
                        ("date", "2030-01-08"),
                        ("note", "")
                    ]
                )
                .await
                .status,
            403
        );
        assert_eq!(
            app.store
                .risk_assessments(&app.therapist.actor, &c)
                .await
                .unwrap()
                .len(),
            2
        );
        let page = t.get(&format!("/clients/{c}")).await;
        assert!(
            page.body.contains("Passive tanker, ingen plan."),
            "the sealed note is shown to the therapist"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_therapist_enters_a_paper_health_form_and_sees_the_findings() {
    for backend in backends() {
        let app = spawn(backend).await;
        let c = app.client_id.clone();
        let mut t = app.signed_in(&app.therapist).await;
        assert_eq!(
            t.get(&format!("/clients/{c}/intake")).await.status,
            200,
            "{backend}"
        );
        let r = t
            .post(
                &format!("/clients/{c}/intake"),
                &[
                    ("med-0", "Zoloft 50 mg"),
                    ("med-0-stopped", ""),
                    ("family", "no"),
                    ("psychosis", "no"),
                    ("mania", "no"),
                    ("age", "39"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}: {}", r.body);
        let s = app
            .store
            .screenings(&app.therapist.actor, &c)
            .await
            .unwrap();
        assert_eq!(s.len(), 1);
        assert!(
            s[0].findings.to_string().contains("Zoloft 50 mg"),
            "the SSRI is found"
        );
        // Out of scope, or a client: refused.
        let mut other = app.signed_in(&app.foreign_therapist).await;
        assert_eq!(other.get(&format!("/clients/{c}/intake")).await.status, 404);
        let mut client = app.signed_in(&app.client).await;
        assert_eq!(
            client.get(&format!("/clients/{c}/intake")).await.status,
            403
        );
        app.cleanup().await;
    }
}

/// Issue 9: the health form asks about psychosis and bipolar disorder in parents, siblings and children, and about
/// the client's own psychotic and manic episodes; each "yes" becomes a finding with its source, a form that leaves a
/// question unanswered or contradicts itself comes back with every answer kept and nothing stored.
#[tokio::test]
async fn the_health_form_asks_about_psychosis_and_bipolar_disorder_in_the_family_and_the_clients_own_episodes(
) {
    for backend in backends() {
        let app = spawn(backend).await;
        let c = app.client_id.clone();
        let mut client = app.signed_in(&app.client).await;
        let form = client.get("/portal/intake").await;
        assert_eq!(form.status, 200);
        for field in [
            "name=\"family\" value=\"unknown\"",
            "value=\"child:bipolar\"",
            "value=\"sibling:psychosis\"",
            "name=\"psychosis_substance\"",
            "name=\"mania\" value=\"hypomania\"",
        ] {
            assert!(form.body.contains(field), "{backend}: the form has {field}");
        }

        // (The client and the therapist read bokmål.) Unanswered questions, and boxes that contradict the answer, are named; what was typed is kept.
        let bad_forms: [(&[(&str, &str)], &str); 4] = [
            (
                &[("med-0", "Lamictal"), ("psychosis", "no"), ("mania", "no")],
                "nærmeste familie (nei, ja eller vet ikke)",
            ),
            (
                &[
                    ("med-0", "Lamictal"),
                    ("family", "yes"),
                    ("psychosis", "no"),
                    ("mania", "no"),
                ],
                "kryss av i tabellen hvem som har hatt hva",
            ),
            (
                &[
                    ("med-0", "Lamictal"),
                    ("family", "no"),
                    ("family_entry", "parent:bipolar"),
                    ("psychosis", "no"),
                    ("mania", "no"),
                ],
                "svarte ikke ja om din nærmeste familie",
            ),
            (
                &[
                    ("med-0", "Lamictal"),
                    ("family", "no"),
                    ("psychosis", "no"),
                    ("mania", "no"),
                    ("mania_substance", "1"),
                ],
                "hører til et ja om mani",
            ),
        ];
        for (fields, problem) in bad_forms {
            let r = client.post("/portal/intake", fields).await;
            assert_eq!(r.status, 422, "{backend}: {fields:?}");
            assert!(
                r.body.replace("&#39;", "'").contains(problem),
                "{backend}: {problem}: {}",
                r.body
            );
            assert!(
                r.body.contains("value=\"Lamictal\""),
                "{backend}: the medicine typed is kept"
            );
        }
        let kept = client
            .post(
                "/portal/intake",
                &[
                    ("family", "no"),
                    ("family_entry", "parent:bipolar"),
                    ("psychosis", "yes"),
                    ("mania", "no"),
                ],
            )
            .await;
        assert!(
            kept.body.contains("value=\"parent:bipolar\" checked")
                && kept
                    .body
                    .contains("name=\"psychosis\" value=\"yes\" required checked"),
            "{backend}: ticked boxes and chosen answers are kept"
        );
        assert!(
            app.store
                .screenings(&app.therapist.actor, &c)
                .await
                .unwrap()
                .is_empty(),
            "{backend}: nothing is stored from a form sent back"
        );

        let r = client
            .post(
                "/portal/intake",
                &[
                    ("family", "yes"),
                    ("family_entry", "parent:bipolar"),
                    ("family_entry", "sibling:psychosis"),
                    ("psychosis", "yes"),
                    ("psychosis_substance", "1"),
                    ("mania", "unknown"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{backend}: {}", r.body);
        let s = app
            .store
            .screenings(&app.therapist.actor, &c)
            .await
            .unwrap();
        assert_eq!(s.len(), 1);
        let rules: Vec<&str> = s[0]
            .findings
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert_eq!(
            rules,
            [
                "family-history-bipolar",
                "family-history-psychosis",
                "psychotic-episode-substance",
                "psychiatric-history-unknown"
            ],
            "{backend}"
        );
        assert_eq!(s[0].worst_severity.as_deref(), Some("clearance-required"));

        // The therapist sees each finding with who it concerns, and the trial protocols it rests on.
        let mut t = app.signed_in(&app.therapist).await;
        let page = t.get(&format!("/clients/{c}")).await.body;
        for text in [
            "en forelder har hatt bipolar lidelse",
            "et søsken har hatt psykose eller en annen psykotisk lidelse",
            "vet ikke: egne maniske eller hypomane episoder",
            "NCT02243813",
            "Trials 22:302",
        ] {
            assert!(
                page.contains(text),
                "{backend}: the client page shows {text}"
            );
        }
        app.cleanup().await;
    }
}
