//! Store throughput on a file-backed SQLite database with ferd's settings (WAL, synchronous FULL), measured beside
//! the raw limit in the same run:
//!
//! - `store_response_full`: `Store::record_response` for a PCL-5: validate and score with ferd-core, check the
//!   client's scope, append the audit event, insert the response; one transaction per response.
//! - `raw_insert_full`: the same response row inserted with plain SQL, one transaction per row, on the same file
//!   and connection settings (the method of shared/bench/sqlite_ceiling.py).
//! - `client_history`: `Store::history` for a client with 8 responses and 12 sessions (notes decrypted), including
//!   its audit event.
//!
//! Run: `cargo bench -p ferd-store --bench store` (about a minute). The target: store ≥ 50 % of raw.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ferd_core::Catalogue;
use ferd_store::{Actor, Keyring, NewClient, NewSession, NewUser, Role, Store, StoreOptions};

struct Fixture {
    rt: tokio::runtime::Runtime,
    store: Store,
    admin: Actor,
    client: String,
    history_client: String,
    dir: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("ferd-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    let (store, admin, client, history_client) = rt.block_on(async {
        let store = Store::open(&url, Keyring::generate().unwrap(), StoreOptions::default())
            .await
            .unwrap();
        let system = Actor::system("bench");
        let p = store.create_practice(&system, "Bench").await.unwrap();
        let u = store
            .create_user(
                &system,
                NewUser {
                    practice_id: Some(p.id.clone()),
                    email: "admin@bench.no".into(),
                    display_name: "Admin".into(),
                    role: Role::Admin,
                    practice_admin: true,
                    password_hash: None,
                },
            )
            .await
            .unwrap();
        let admin = Actor {
            user_id: u.id,
            role: Role::Admin,
            practice_id: Some(p.id),
            practice_admin: true,
            client_id: None,
            request_id: "bench".into(),
        };
        let new = |name: &str| NewClient {
            name: name.into(),
            preferred_language: "nb".into(),
            ..Default::default()
        };
        let client = store.create_client(&admin, new("Kari")).await.unwrap().id;
        let history_client = store.create_client(&admin, new("Ola")).await.unwrap().id;
        for n in 0..8 {
            let answers: Vec<Option<i64>> = (0..20).map(|i| Some((n + i) % 5)).collect();
            store
                .record_response(&admin, &history_client, None, "pcl-5", &answers, n)
                .await
                .unwrap();
        }
        for n in 0..12 {
            let session = NewSession {
                client_id: history_client.clone(),
                kind: "integration".into(),
                scheduled_at: n,
                duration_minutes: 90,
                note: Some(
                    "A session note of ordinary length, about what came up and what to follow up."
                        .into(),
                ),
                ..Default::default()
            };
            store.add_session(&admin, session).await.unwrap();
        }
        (store, admin, client, history_client)
    });
    Fixture {
        rt,
        store,
        admin,
        client,
        history_client,
        dir,
    }
}

fn benches(c: &mut Criterion) {
    let f = fixture();
    let answer_sets: Vec<Vec<Option<i64>>> = (0..64)
        .map(|n| (0..20).map(|i| Some((n * 7 + i * 3) % 5)).collect())
        .collect();
    let pcl5 = Catalogue::builtin().get("pcl-5").unwrap();

    let mut g = c.benchmark_group("sqlite_full");
    g.throughput(Throughput::Elements(1));
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(8));
    g.warm_up_time(Duration::from_secs(1));

    let mut n = 0usize;
    g.bench_function("store_response_full", |b| {
        b.iter(|| {
            n += 1;
            let answers = &answer_sets[n % 64];
            f.rt.block_on(
                f.store
                    .record_response(&f.admin, &f.client, None, "pcl-5", answers, n as i64),
            )
            .unwrap()
        })
    });

    // The same row, scored once up front, inserted with plain SQL.
    let scored = pcl5.response(&answer_sets[0]).unwrap().score();
    let summary = serde_json::to_string(&scored.summary()).unwrap();
    let answers_json = serde_json::to_string(&answer_sets[0]).unwrap();
    let total = i64::from(scored.total());
    g.bench_function("raw_insert_full", |b| {
        b.iter(|| {
            f.rt.block_on(async {
                let mut tx = f.store.pool().begin().await.unwrap();
                sqlx::query(
                    "INSERT INTO responses (id, client_id, assessment_id, instrument, instrument_version, answers, total, summary, authored_at, created_at, updated_at) \
                     VALUES ($1, $2, NULL, 'pcl-5', '2013-08-14', $3, $4, $5, $6, $7, $8)",
                )
                .bind(ferd_store::new_id())
                .bind(&f.client)
                .bind(&answers_json)
                .bind(total)
                .bind(&summary)
                .bind(1_i64)
                .bind(1_i64)
                .bind(1_i64)
                .execute(&mut *tx)
                .await
                .unwrap();
                tx.commit().await.unwrap();
            })
        })
    });

    g.bench_function("client_history_8_responses_12_sessions", |b| {
        b.iter(|| {
            let h =
                f.rt.block_on(f.store.history(&f.admin, &f.history_client))
                    .unwrap();
            black_box(h.sessions.len() + h.responses.len())
        })
    });
    g.finish();
    f.rt.block_on(f.store.close());
    let _ = std::fs::remove_dir_all(&f.dir);
}

criterion_group!(store, benches);
criterion_main!(store);
