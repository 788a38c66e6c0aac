//! The outcome report page and its downloads, and the public evidence page with its forest plots.

use crate::common::*;

/// PCL-5 answers: every item at `v` (total 20·v).
fn all(v: i64) -> Vec<Option<i64>> {
    vec![Some(v); 20]
}

#[tokio::test]
async fn the_report_shows_the_numbers_of_the_download_for_the_therapist_s_own_clients() {
    for backend in backends() {
        let app = spawn(backend).await;
        let s = &app.store;
        let t = &app.therapist.actor;
        // The therapist's client: 60 → 20 (−40). The other therapist's client: 40 → 40 (outside the first's scope).
        s.record_response(t, &app.client_id, None, "pcl-5", &all(3), 1_000)
            .await
            .unwrap();
        s.record_response(t, &app.client_id, None, "pcl-5", &all(1), 2_000)
            .await
            .unwrap();
        let t2 = &app.therapist2.actor;
        s.record_response(t2, &app.other_client_id, None, "pcl-5", &all(2), 1_000)
            .await
            .unwrap();
        s.record_response(t2, &app.other_client_id, None, "pcl-5", &all(2), 2_000)
            .await
            .unwrap();

        let mut b = app.signed_in(&app.therapist).await;
        let page = b.get("/report").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains("class=\"chart forest\""),
            "the comparison is drawn"
        );
        assert!(
            page.body.contains("class=\"chart histogram\""),
            "the distribution is drawn"
        );
        assert!(
            page.body.contains("CAPS-5"),
            "the caveat names the trials' measure"
        );
        // Only the therapist's own client: 1 client, baseline 60, latest 20 (Norwegian: decimal comma).
        assert!(
            page.body
                .contains("<th scope=\"row\">Klienter med svar</th><td>1</td>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("60,0 (SD –)"), "{}", page.body);
        assert!(page.body.contains("<td>20,0 (SD –)</td>"));
        // MAPP1's arms beside it, from the evidence data.
        assert!(page.body.contains("MAPP1") && page.body.contains("MAPP2"));

        let csv = b.get("/report.csv").await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        assert!(csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("ferd-outcomes.csv"));
        let pcl = csv
            .body
            .lines()
            .find(|l| l.starts_with("pcl-5,"))
            .unwrap()
            .to_string();
        let f: Vec<&str> = pcl.split(',').collect();
        assert_eq!((f[1], f[3], f[6]), ("1", "60.0000", "20.0000"), "{pcl}");
        let json = b.get("/report.json").await;
        let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(v["outcomes"][0]["clients"], 1);
        assert!(v["dropout"].is_object() && v["caveat"].as_str().unwrap().contains("CAPS-5"));

        // The admin sees the whole practice: both clients.
        let mut a = app.signed_in(&app.admin).await;
        let csv = a.get("/report.csv").await;
        let pcl = csv
            .body
            .lines()
            .find(|l| l.starts_with("pcl-5,"))
            .unwrap()
            .to_string();
        assert!(pcl.starts_with("pcl-5,2,2,50.0000,"), "{pcl}");
        // A client and a stranger get nothing.
        let mut c = app.signed_in(&app.client).await;
        for path in ["/report", "/report.csv", "/report.json"] {
            assert_eq!(c.get(path).await.status, 403, "{path}");
            let anon = app.browser().get(path).await;
            assert_eq!(
                (anon.status, anon.location().as_str()),
                (303, "/login"),
                "{path}"
            );
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_evidence_page_draws_the_prolonged_exposure_comparison_in_both_languages_with_its_sources(
) {
    let app = spawn("sqlite").await;
    let mut b = app.browser();
    for (lang, g, title) in [
        (
            "en",
            "1.17 (0.40 – 1.94)",
            "MDMA-assisted therapy beside prolonged exposure",
        ),
        (
            "nb",
            "1,17 (0,40 – 1,94)",
            "MDMA-assistert terapi ved siden av forlenget eksponering",
        ),
    ] {
        let p = b.get(&format!("/{lang}/evidence/prolonged-exposure")).await;
        assert_eq!(p.status, 200);
        assert!(p.body.contains(&format!("<h1>{title}</h1>")), "{}", p.body);
        assert_eq!(p.body.matches("class=\"chart forest\"").count(), 2);
        assert!(
            p.body.contains(g),
            "{lang}: MDMA-AP's g with its approximate interval"
        );
        assert!(
            p.body.contains("pubmed.ncbi.nlm.nih.gov/27118529"),
            "the 2016 paper is cited"
        );
        for cited in [
            "#ref-amoroso-2016-vs-pe-s1",
            "#ref-amoroso-2016-vs-pe-s2",
            "#ref-mapp1-s1",
            "#ref-mapp2-s1",
        ] {
            assert!(p.body.contains(&format!("href=\"{cited}\"")), "{cited}");
            assert!(
                p.body.contains(&format!("id=\"{}\"", &cited[1..])),
                "{cited} lands"
            );
        }
    }
    app.cleanup().await;
}
