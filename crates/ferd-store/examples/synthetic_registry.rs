//! A synthetic registry for benchmarks: N clients × 8 PCL-5 responses written into a data folder made by
//! `ferd init`, with the latent-severity model of shared/bench/pandas_pcl5.py (baseline item mean ~ N(2.4, 0.6),
//! drop ~ N(1.0, 0.8) over 8 visits, item noise N(0, 0.9), rounded and clipped to 0–4). Every response is scored by
//! ferd-core. Rows are inserted in batches with plain SQL (a registry load, not clinical use), so the audit chain
//! holds only the setup events.
//!
//! usage: cargo run --release -p ferd-store --example synthetic_registry -- DATA_DIR N

use ferd_core::Catalogue;
use ferd_store::{Actor, Keyring, Store, StoreOptions};

/// SplitMix64 with Box–Muller normals: deterministic, so every run builds the same registry.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        mean + sd * (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, n): (std::path::PathBuf, usize) = match args.as_slice() {
        [_, dir, n] => (dir.into(), n.parse().expect("N is a number")),
        _ => {
            eprintln!("usage: synthetic_registry DATA_DIR N");
            std::process::exit(2);
        }
    };
    let keys = Keyring::from_json(
        &std::fs::read_to_string(dir.join("keys.json")).expect("keys.json (run ferd init)"),
    )
    .unwrap();
    let url = format!("sqlite://{}", dir.join("ferd.db").display());
    let store = Store::open(&url, keys, StoreOptions::default())
        .await
        .unwrap();
    let practice = store
        .practices(&Actor::system("registry"))
        .await
        .unwrap()
        .remove(0)
        .id;
    let pcl5 = Catalogue::builtin().get("pcl-5").unwrap();
    let mut rng = Rng(42);
    let start = std::time::Instant::now();
    let day = 86_400_000i64;
    for chunk in 0..n.div_ceil(1000) {
        let mut tx = store.pool().begin().await.unwrap();
        for c in chunk * 1000..((chunk + 1) * 1000).min(n) {
            let id = format!("client-{c:07}");
            sqlx::query(
                "INSERT INTO clients (id, practice_id, therapist_id, user_id, name, email, phone, birth_year, emergency_contact, preferred_language, research_id, created_at, updated_at, research_offset_days) \
                 VALUES ($1, $2, NULL, NULL, $3, NULL, NULL, $4, NULL, 'nb', $5, 0, 0, 1)",
            )
            .bind(&id)
            .bind(&practice)
            .bind(format!("Client {c}"))
            .bind(1950 + (c % 50) as i64)
            .bind(format!("R-{c:07}"))
            .execute(&mut *tx)
            .await
            .unwrap();
            let base = rng.normal(2.4, 0.6);
            let drop = rng.normal(1.0, 0.8);
            for visit in 0..8 {
                let latent = base - drop * visit as f64 / 7.0;
                let answers: Vec<Option<i64>> = (0..20)
                    .map(|_| Some((latent + rng.normal(0.0, 0.9)).round().clamp(0.0, 4.0) as i64))
                    .collect();
                let scored = pcl5.response(&answers).unwrap().score();
                sqlx::query(
                    "INSERT INTO responses (id, client_id, assessment_id, instrument, instrument_version, answers, total, summary, authored_at, created_at, updated_at) \
                     VALUES ($1, $2, NULL, 'pcl-5', '2013-08-14', $3, $4, $5, $6, 0, 0)",
                )
                .bind(format!("{id}-{visit}"))
                .bind(&id)
                .bind(serde_json::to_string(&answers).unwrap())
                .bind(i64::from(scored.total()))
                .bind(serde_json::to_string(&scored.summary()).unwrap())
                .bind(1_700_000_000_000 + visit as i64 * 14 * day)
                .execute(&mut *tx)
                .await
                .unwrap();
            }
        }
        tx.commit().await.unwrap();
    }
    // The responses went in without the store: build the report's first/latest table from them, as a restore does.
    let t = std::time::Instant::now();
    store.rebuild_outcome_ends().await.unwrap();
    eprintln!("outcome_ends rebuilt in {:.1} s", t.elapsed().as_secs_f64());
    store.close().await;
    eprintln!(
        "wrote {n} clients × 8 PCL-5 responses in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}
