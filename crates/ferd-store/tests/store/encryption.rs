//! Clinical free text never reaches the database file in plain text.

use ferd_store::{Keyring, NewClient, NewSession, Store, StoreOptions};

use crate::common::practice_with_admin;

#[tokio::test]
async fn a_note_with_a_known_phrase_is_not_in_the_database_file() {
    let dir = std::env::temp_dir().join(format!("ferd-enc-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ferd.db");
    let keys = Keyring::generate().unwrap();
    let store = Store::open(
        &format!("sqlite://{}", path.display()),
        keys.clone(),
        StoreOptions::default(),
    )
    .await
    .unwrap();
    let admin = practice_with_admin(&store, "t@p.no").await;
    let practice_id = admin.practice_id.clone().unwrap();
    let c = store
        .create_client(
            &admin,
            NewClient {
                name: "Kari".into(),
                preferred_language: "nb".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let phrase = "the lighthouse keeper's blue umbrella";
    store
        .add_session(
            &admin,
            NewSession {
                client_id: c.id.clone(),
                kind: "integration".into(),
                scheduled_at: 1,
                duration_minutes: 90,
                note: Some(phrase.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let inquiry = ferd_store::NewInquiry {
        practice_id: practice_id.clone(),
        name: "N".into(),
        email: "n@x.no".into(),
        phone: None,
        language: "en".into(),
        message: phrase.into(),
        consent_version: None,
    };
    store.submit_inquiry(inquiry, "r").await.unwrap();
    assert_eq!(
        store.sessions(&admin, &c.id).await.unwrap()[0]
            .note
            .as_deref(),
        Some(phrase)
    );
    store.close().await;
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(bytes.len() > 4096, "the database files were read");
    assert!(
        !bytes.windows(phrase.len()).any(|w| w == phrase.as_bytes()),
        "plain text found in the database files"
    );
    assert!(
        bytes.windows(4).any(|w| w == b"Kari"),
        "sanity: non-clinical text is stored as is"
    );
    // Reopened with the same key file, the note reads back.
    let store = Store::open(
        &format!("sqlite://{}", path.display()),
        Keyring::from_json(&keys.to_json()).unwrap(),
        StoreOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        store.sessions(&admin, &c.id).await.unwrap()[0]
            .note
            .as_deref(),
        Some(phrase)
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
