use ferd_store::{Actor, Keyring, NewClient, NewUser, Role, Store, StoreOptions};

/// A store under test and how to clean it up.
pub struct TestStore {
    pub name: &'static str,
    pub store: Store,
    schema: Option<(String, String)>,
}

impl TestStore {
    /// The PostgreSQL schema of this run, if any.
    pub fn schema_name(&self) -> Option<&str> {
        self.schema.as_ref().map(|(_, s)| s.as_str())
    }

    pub async fn drop_schema(self) {
        self.store.close().await;
        if let Some((url, schema)) = self.schema {
            sqlx::any::install_default_drivers();
            if let Ok(pool) = sqlx::AnyPool::connect(&url).await {
                let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&pool)
                    .await;
                pool.close().await;
            }
        }
    }
}

/// The stores to run a test against: SQLite in memory always, PostgreSQL when configured.
pub async fn stores() -> Vec<TestStore> {
    let mut out = vec![TestStore {
        name: "sqlite",
        store: Store::open(
            "sqlite::memory:",
            Keyring::generate().unwrap(),
            StoreOptions::default(),
        )
        .await
        .expect("open sqlite"),
        schema: None,
    }];
    if let Ok(url) = std::env::var("FERD_TEST_POSTGRES_URL") {
        let schema = format!("ferd_test_{}", uuid::Uuid::new_v4().simple());
        let options = StoreOptions {
            schema: Some(schema.clone()),
            ..Default::default()
        };
        let store = Store::open(&url, Keyring::generate().unwrap(), options)
            .await
            .expect("open postgres");
        out.push(TestStore {
            name: "postgres",
            store,
            schema: Some((url, schema)),
        });
    }
    out
}

pub fn system() -> Actor {
    Actor::system("test")
}

/// A new practice and its admin, as an actor.
pub async fn practice_with_admin(store: &Store, email: &str) -> Actor {
    let p = store.create_practice(&system(), "P").await.unwrap();
    user(store, &p.id, email, Role::Admin, true).await
}

/// Two practices with their people, as actors.
pub struct World {
    pub a_admin: Actor,
    pub a_lead: Actor,
    pub a_t1: Actor,
    pub a_t2: Actor,
    pub a_c1: Actor,
    pub a_c2: Actor,
    pub b_admin: Actor,
    pub b_c1: Actor,
    pub practice_a: String,
    pub practice_b: String,
}

async fn user(
    store: &Store,
    practice: &str,
    email: &str,
    role: Role,
    practice_admin: bool,
) -> Actor {
    let u = store
        .create_user(
            &system(),
            NewUser {
                practice_id: Some(practice.to_string()),
                email: email.to_string(),
                display_name: email.to_string(),
                role,
                practice_admin,
                password_hash: None,
            },
        )
        .await
        .unwrap();
    Actor {
        user_id: u.id,
        role,
        practice_id: Some(practice.to_string()),
        practice_admin,
        client_id: None,
        request_id: format!("req-{email}"),
    }
}

async fn client(
    store: &Store,
    staff: &Actor,
    name: &str,
    therapist: Option<&Actor>,
    email: &str,
) -> Actor {
    let c = store
        .create_client(
            staff,
            NewClient {
                therapist_id: therapist.map(|t| t.user_id.clone()),
                name: name.to_string(),
                preferred_language: "nb".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut login = user(store, &c.practice_id, email, Role::Client, false).await;
    store
        .link_client_user(staff, &c.id, &login.user_id)
        .await
        .unwrap();
    login.client_id = Some(c.id);
    login
}

impl World {
    pub async fn build(store: &Store) -> World {
        let a = store
            .create_practice(&system(), "Practice A")
            .await
            .unwrap();
        let b = store
            .create_practice(&system(), "Practice B")
            .await
            .unwrap();
        let a_admin = user(store, &a.id, "admin@a.no", Role::Admin, true).await;
        let a_lead = user(store, &a.id, "lead@a.no", Role::Therapist, true).await;
        let a_t1 = user(store, &a.id, "t1@a.no", Role::Therapist, false).await;
        let a_t2 = user(store, &a.id, "t2@a.no", Role::Therapist, false).await;
        let b_admin = user(store, &b.id, "admin@b.no", Role::Admin, true).await;
        let a_c1 = client(store, &a_admin, "Kari", Some(&a_t1), "kari@example.no").await;
        let a_c2 = client(store, &a_admin, "Ola", Some(&a_t2), "ola@example.no").await;
        let b_c1 = client(store, &b_admin, "Per", None, "per@example.no").await;
        World {
            a_admin,
            a_lead,
            a_t1,
            a_t2,
            a_c1,
            a_c2,
            b_admin,
            b_c1,
            practice_a: a.id,
            practice_b: b.id,
        }
    }
}

pub fn client_id(a: &Actor) -> &str {
    a.client_id.as_deref().unwrap()
}
