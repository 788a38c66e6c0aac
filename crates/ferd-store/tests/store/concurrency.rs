//! Several ferd instances on one database: concurrent writers through separate pools keep one unbroken audit chain
//! and lose nothing.

use ferd_store::{Keyring, Store, StoreOptions};

use crate::common::{client_id, stores, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_writing_at_once_keep_one_unbroken_chain() {
    for t in stores().await {
        let w = World::build(&t.store).await;
        // A second instance: its own pool on the same database (PostgreSQL: the same schema).
        let second = match t.name {
            "postgres" => {
                let url = std::env::var("FERD_TEST_POSTGRES_URL").unwrap();
                let schema = t.schema_name().unwrap().to_string();
                Store::open(
                    &url,
                    t.store.keys().clone(),
                    StoreOptions {
                        schema: Some(schema),
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
            }
            _ => {
                // In-memory SQLite cannot be shared between pools; use a file for this case.
                eprintln!("sqlite: covered by the file-based run below");
                continue;
            }
        };
        run_two_writers(&t.store, &second, &w).await;
        second.close().await;
        t.drop_schema().await;
    }
    // SQLite: two pools on one file.
    let dir = std::env::temp_dir().join(format!("ferd-conc-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    let keys = Keyring::generate().unwrap();
    let a = Store::open(&url, keys.clone(), StoreOptions::default())
        .await
        .unwrap();
    let b = Store::open(&url, keys, StoreOptions::default())
        .await
        .unwrap();
    let w = World::build(&a).await;
    run_two_writers(&a, &b, &w).await;
    a.close().await;
    b.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

async fn run_two_writers(a: &Store, b: &Store, w: &World) {
    let before = a.verify_audit().await.unwrap().unwrap();
    let per_writer = 40;
    let write = |s: Store, actor: ferd_store::Actor, client: String| async move {
        for n in 0..per_writer {
            s.record_response(&actor, &client, None, "phq-9", &[Some(n % 4); 9], n)
                .await
                .unwrap();
            s.client(&actor, &client).await.unwrap();
        }
    };
    let ta = tokio::spawn(write(
        a.clone(),
        w.a_c1.clone(),
        client_id(&w.a_c1).to_string(),
    ));
    let tb = tokio::spawn(write(
        b.clone(),
        w.a_c2.clone(),
        client_id(&w.a_c2).to_string(),
    ));
    ta.await.unwrap();
    tb.await.unwrap();
    let after = a.verify_audit().await.unwrap().expect("one unbroken chain");
    assert_eq!(after, before + 4 * per_writer);
    assert_eq!(
        b.responses(&w.a_admin, client_id(&w.a_c1))
            .await
            .unwrap()
            .len(),
        per_writer as usize
    );
    assert_eq!(
        a.responses(&w.a_admin, client_id(&w.a_c2))
            .await
            .unwrap()
            .len(),
        per_writer as usize
    );
}
