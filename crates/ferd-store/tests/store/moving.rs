//! Moving and keeping data: the portable archive (SQLite ↔ PostgreSQL with nothing lost) and key rotation.

use ferd_store::{Keyring, NewSession, Store, StoreError, StoreOptions};

use crate::common::{client_id, system, World};

async fn filled_sqlite(keys: &Keyring) -> (Store, World) {
    let s = Store::open("sqlite::memory:", keys.clone(), StoreOptions::default())
        .await
        .unwrap();
    let w = World::build(&s).await;
    let c = client_id(&w.a_c1);
    // The medicine session goes the way the guards allow: a journey, a screening cleared by a clinician, the
    // preparation held; so the archive carries those records (and sealed columns) too.
    s.start_journey(&w.a_t1, c, "mdma-at", "preparation", 5)
        .await
        .unwrap();
    let screening = s
        .record_screening(
            &w.a_t1,
            c,
            r#"{"medications":["Zoloft 50 mg"]}"#,
            "[]",
            None,
        )
        .await
        .unwrap();
    s.record_clearance(
        &w.a_t1,
        c,
        &screening,
        "cleared",
        Some("ingen kontraindikasjoner"),
    )
    .await
    .unwrap();
    for at in [1_000, 1_001, 1_002] {
        let prep = s
            .add_session(
                &w.a_t1,
                NewSession {
                    client_id: c.into(),
                    kind: "preparation".into(),
                    scheduled_at: at,
                    duration_minutes: 90,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        s.update_session(&w.a_t1, &prep.id, "held", None)
            .await
            .unwrap();
    }
    let medicine = s
        .book_medicine_session(
            &w.a_t1,
            c,
            7,
            480,
            None,
            Some(r#"{"clinic":"Sykehuset Østfold","responsible":"Dr. Lege","referral_note":null}"#),
        )
        .await
        .unwrap()
        .unwrap();
    s.update_session(
        &w.a_t1,
        &medicine,
        "planned",
        Some("external clinic, went well"),
    )
    .await
    .unwrap();
    s.record_response(&w.a_c1, c, None, "pcl-5", &[Some(2); 20], 9)
        .await
        .unwrap();
    s.add_journal_entry(&w.a_c1, "ærlig talt, det var tungt", true)
        .await
        .unwrap();
    s.record_consent(&w.a_c1, c, "research", "v2", 3)
        .await
        .unwrap();
    s.create_article(
        &w.a_admin,
        ferd_store::ArticleInput {
            lang: "nb".into(),
            slug: "flytting".into(),
            title: "Tittel".into(),
            summary: "Sammendrag.".into(),
            body: "Tekst ([k](#ref-k)).".into(),
            tags: vec!["æøå".into()],
            references: vec![ferd_store::ArticleReference {
                id: "k".into(),
                text: "Kilde «sitert».".into(),
                url: None,
            }],
            author_name: None,
            published_on: "2026-11-20".into(),
            reviewed_on: "2026-11-21".into(),
        },
        ferd_store::ArticleStatus::Published,
    )
    .await
    .unwrap();
    (s, w)
}

async fn archive(s: &Store) -> String {
    let mut out = Vec::new();
    s.export_archive(&mut out).await.unwrap();
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn sqlite_to_postgres_to_sqlite_keeps_every_row() {
    let keys = Keyring::generate().unwrap();
    let (a, w) = filled_sqlite(&keys).await;
    let first = archive(&a).await;
    let rows = first.lines().count() - 1;
    for table in [
        "practices",
        "users",
        "clients",
        "journeys",
        "sessions",
        "responses",
        "consents",
        "journal_entries",
        "articles",
        "audit_events",
        "audit_head",
    ] {
        assert!(
            first.contains(&format!("\"table\":\"{table}\"")),
            "no {table} rows"
        );
    }
    let middle = match std::env::var("FERD_TEST_POSTGRES_URL") {
        Ok(url) => {
            let schema = format!("ferd_test_{}", uuid::Uuid::new_v4().simple());
            let pg = Store::open(
                &url,
                keys.clone(),
                StoreOptions {
                    schema: Some(schema.clone()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            assert_eq!(
                pg.import_archive(first.as_bytes()).await.unwrap() as usize,
                rows
            );
            let text = archive(&pg).await;
            assert_eq!(text, first, "PostgreSQL holds exactly what SQLite held");
            assert!(pg.verify_audit().await.unwrap().is_ok());
            assert_eq!(
                pg.journal(&w.a_t1, client_id(&w.a_c1)).await.unwrap()[0].body,
                "ærlig talt, det var tungt"
            );
            pg.close().await;
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&url).await.unwrap();
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&pool)
                .await
                .unwrap();
            text
        }
        Err(_) => {
            eprintln!("SKIPPED the PostgreSQL leg: FERD_TEST_POSTGRES_URL is not set");
            first.clone()
        }
    };
    let c = Store::open("sqlite::memory:", keys.clone(), StoreOptions::default())
        .await
        .unwrap();
    c.import_archive(middle.as_bytes()).await.unwrap();
    assert_eq!(
        archive(&c).await,
        first,
        "every row survives the round trip"
    );
    assert!(c.verify_audit().await.unwrap().is_ok());
    assert_eq!(
        c.sessions(&w.a_t1, client_id(&w.a_c1)).await.unwrap()[0]
            .note
            .as_deref(),
        Some("external clinic, went well")
    );
}

#[tokio::test]
async fn an_archive_is_restored_only_into_an_empty_database_and_a_bad_one_writes_nothing() {
    let keys = Keyring::generate().unwrap();
    let (a, _) = filled_sqlite(&keys).await;
    let text = archive(&a).await;
    let err = a.import_archive(text.as_bytes()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "database: is not empty: an archive is restored into a new database"
    );
    let empty = Store::open("sqlite::memory:", keys.clone(), StoreOptions::default())
        .await
        .unwrap();
    // A damaged line in the middle: the error names it and nothing is kept.
    let mut lines: Vec<&str> = text.lines().collect();
    let n = lines.len() / 2;
    lines[n] = "{\"table\": \"clients\", \"row\": {\"id\": 5}}";
    let damaged = lines.join("\n");
    let err = empty.import_archive(damaged.as_bytes()).await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("archive: line {}", n + 1)),
        "{err}"
    );
    let practices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM practices")
        .fetch_one(empty.pool())
        .await
        .unwrap();
    assert_eq!(practices, 0);
    assert!(matches!(
        empty.import_archive("not json".as_bytes()).await,
        Err(StoreError::Invalid { .. })
    ));
    // The intact archive then restores.
    empty.import_archive(text.as_bytes()).await.unwrap();
    assert!(empty.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn rotating_keys_reencrypts_everything_so_the_old_key_can_go() {
    let keys = Keyring::generate().unwrap();
    let (a, w) = filled_sqlite(&keys).await;
    let text = archive(&a).await;
    let mut rotated = keys.clone();
    let new_id = rotated.add_new_key().unwrap();
    assert_eq!(new_id, "k2");
    let b = Store::open("sqlite::memory:", rotated.clone(), StoreOptions::default())
        .await
        .unwrap();
    b.import_archive(text.as_bytes()).await.unwrap();
    assert_eq!(
        b.reencrypt_all(&system()).await.unwrap(),
        6,
        "the session note, the medicine session's clinic, the journal entry, the screening's answers and findings, \
         and the clearance's comment"
    );
    assert_eq!(
        b.reencrypt_all(&system()).await.unwrap(),
        0,
        "nothing left under the old key"
    );
    // With only the new key, everything still reads.
    rotated.retire_old_keys();
    let only_new = archive(&b).await;
    let c = Store::open(
        "sqlite::memory:",
        Keyring::from_json(&rotated.to_json()).unwrap(),
        StoreOptions::default(),
    )
    .await
    .unwrap();
    c.import_archive(only_new.as_bytes()).await.unwrap();
    assert_eq!(
        c.sessions(&w.a_t1, client_id(&w.a_c1)).await.unwrap()[0]
            .note
            .as_deref(),
        Some("external clinic, went well")
    );
    assert_eq!(
        c.journal(&w.a_c1, client_id(&w.a_c1)).await.unwrap()[0].body,
        "ærlig talt, det var tungt"
    );
    assert!(c.verify_audit().await.unwrap().is_ok());
    assert_eq!(
        rotated.clone().add_new_key().unwrap(),
        "k3",
        "key ids are never reused"
    );
}
