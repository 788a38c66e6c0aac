//! SQLite's write-ahead log is copied into the database file by the store's checkpointer, beside the requests,
//! rather than by whichever writer's commit takes it past SQLite's threshold.

use std::time::{Duration, Instant};

use ferd_store::{Keyring, Store, StoreOptions};

use crate::common::{client_id, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_write_ahead_log_reaches_the_database_file_without_a_writer_checkpointing() {
    let dir = std::env::temp_dir().join(format!("ferd-ckpt-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ferd.db");
    let store = Store::open(
        &format!("sqlite://{}", file.display()),
        Keyring::generate().unwrap(),
        StoreOptions::default(),
    )
    .await
    .unwrap();
    let w = World::build(&store).await;
    // Let the checkpointer copy what setting up wrote, then measure the file.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let before = std::fs::metadata(&file).unwrap().len();
    // 500 responses: a few thousand WAL pages, below the 10,000 at which a writer checkpoints by itself. In WAL mode
    // only a checkpoint writes to the database file, so the file grows only if the checkpointer runs.
    for n in 0..500 {
        store
            .record_response(
                &w.a_c1,
                client_id(&w.a_c1),
                None,
                "phq-9",
                &[Some(n % 4); 9],
                n,
            )
            .await
            .unwrap();
    }
    let started = Instant::now();
    let grown = loop {
        let now = std::fs::metadata(&file).unwrap().len();
        if now >= before + 64 * 1024 {
            break now;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the database file stayed at {now} bytes (was {before}): nothing was checkpointed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(grown > before);
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
