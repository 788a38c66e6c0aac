//! Practice administration from the command line: `init`, `user`, `audit`, `keys`, `backup`/`restore`,
//! `db export`/`import`, `client export`/`erase`. Every command acts as ferd itself (`system`) and is audited.
//!
//! Configuration is layered: compiled defaults → `<data-dir>/ferd.toml` → `FERD_*` environment variables →
//! command-line flags.

use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use ferd_store::{Actor, Durability, Keyring, NewUser, Role, Store, StoreOptions};
use serde::Deserialize;

use crate::Failure;

/// The settings every administrative command shares.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// From `--database-url` or `FERD_DATABASE_URL` (clap reads both), overriding the config file.
    pub database_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    sqlite_synchronous: Option<String>,
    key_file: Option<PathBuf>,
    public_url: Option<String>,
    content_dir: Option<PathBuf>,
    site_practice: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    trusted_proxies: Option<Vec<String>>,
}

/// The configuration in force, after every layer.
#[derive(Debug)]
pub struct Config {
    pub database_url: String,
    pub durability: Durability,
    pub key_file: PathBuf,
    /// The address people reach ferd at (https://… turns on Secure cookies and HSTS).
    pub public_url: Option<String>,
    /// The practice's own public pages (`<lang>/<slug>.md`, images in `media/`), if the folder exists.
    pub content_dir: Option<PathBuf>,
    /// The practice the public site speaks for, when several share the database.
    pub site_practice: Option<String>,
    /// Where reminder mail goes: the SMTP server of `smtp_url`, else the `outbox/` folder in the data folder.
    pub mail: ferd_web::mail::MailConfig,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or networks).
    pub trusted_proxies: Vec<ferd_web::ipnet::IpNet>,
}

/// The commented configuration `ferd init` writes (the repository's `ferd.example.toml`).
const CONFIG_TEMPLATE: &str = include_str!("../../../ferd.example.toml");

impl Config {
    /// Opens (and migrates) the configured database with these keys.
    pub async fn open(&self, keys: Keyring) -> Result<Store, Failure> {
        let options = StoreOptions {
            durability: self.durability,
            schema: None,
        };
        Store::open(&self.database_url, keys, options)
            .await
            .map_err(Failure::from_store)
    }
}

impl Settings {
    /// Reads the configuration: the file (if any), then the environment, then the flags.
    pub fn config(&self) -> Result<Config, Failure> {
        let path = self.data_dir.join("ferd.toml");
        let file: FileConfig = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| Failure::input(format!("{}: {}", path.display(), e.message())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileConfig::default(),
            Err(e) => {
                return Err(Failure::input(format!(
                    "cannot read {}: {e}",
                    path.display()
                )))
            }
        };
        let sync = std::env::var("FERD_SQLITE_SYNCHRONOUS")
            .ok()
            .or(file.sqlite_synchronous);
        let durability = match sync.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("full") => Durability::Full,
            Some("normal") => Durability::Normal,
            Some(other) => {
                return Err(Failure::input(format!(
                    "sqlite_synchronous: '{other}' is not full or normal"
                )))
            }
        };
        let key_file = std::env::var_os("FERD_KEY_FILE")
            .map(PathBuf::from)
            .or(file.key_file)
            .unwrap_or_else(|| PathBuf::from("keys.json"));
        let key_file = if key_file.is_absolute() {
            key_file
        } else {
            self.data_dir.join(key_file)
        };
        let database_url = self
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("ferd.db").display()));
        let public_url = std::env::var("FERD_PUBLIC_URL").ok().or(file.public_url);
        if let Some(u) = &public_url {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(Failure::input(format!(
                    "public_url: '{u}' must start with https:// (or http:// for a test on this machine)"
                )));
            }
        }
        let content_dir = std::env::var_os("FERD_CONTENT_DIR")
            .map(PathBuf::from)
            .or(file.content_dir);
        let content_dir = match content_dir {
            // Named explicitly: it must exist, or the practice's pages would silently not be shown.
            Some(dir) => {
                let dir = if dir.is_absolute() {
                    dir
                } else {
                    self.data_dir.join(dir)
                };
                if !dir.is_dir() {
                    return Err(Failure::input(format!(
                        "content_dir: {} is not a folder",
                        dir.display()
                    )));
                }
                Some(dir)
            }
            None => Some(self.data_dir.join("content")).filter(|d| d.is_dir()),
        };
        let site_practice = std::env::var("FERD_SITE_PRACTICE")
            .ok()
            .or(file.site_practice)
            .filter(|s| !s.trim().is_empty());
        // The SMTP address may hold a password: from the environment, a file (FERD_SMTP_URL_FILE, e.g. a systemd
        // credential), or ferd.toml, in that order.
        let smtp_url = match (
            std::env::var("FERD_SMTP_URL").ok(),
            std::env::var_os("FERD_SMTP_URL_FILE"),
        ) {
            (Some(u), _) => Some(u),
            (None, Some(path)) => Some(
                std::fs::read_to_string(&path)
                    .map_err(|e| {
                        Failure::input(format!(
                            "FERD_SMTP_URL_FILE: cannot read {}: {e}",
                            Path::new(&path).display()
                        ))
                    })?
                    .trim()
                    .to_string(),
            ),
            (None, None) => file.smtp_url,
        };
        let mail_from = std::env::var("FERD_MAIL_FROM").ok().or(file.mail_from);
        let trusted_proxies = match std::env::var("FERD_TRUSTED_PROXIES") {
            Ok(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Err(_) => file.trusted_proxies.unwrap_or_default(),
        };
        let trusted_proxies = trusted_proxies
            .iter()
            .map(|p| proxy_network(p))
            .collect::<Result<Vec<_>, _>>()?;
        let mail = ferd_web::mail::MailConfig::new(
            smtp_url.as_deref(),
            mail_from.as_deref(),
            Some(self.data_dir.join("outbox")),
        )
        .map_err(|e| Failure::input(e.to_string()))?;
        Ok(Config {
            database_url,
            durability,
            key_file,
            public_url,
            content_dir,
            site_practice,
            mail,
            trusted_proxies,
        })
    }

    /// Opens the store with the key file, after checking the data folder was initialised.
    pub async fn open(&self) -> Result<Store, Failure> {
        let config = self.config()?;
        let keys = read_keys(&config.key_file)?;
        config.open(keys).await
    }
}

/// Reads one entry of `trusted_proxies`: an address (`127.0.0.1`, `::1`) or a network (`10.0.0.0/8`).
fn proxy_network(text: &str) -> Result<ferd_web::ipnet::IpNet, Failure> {
    let t = text.trim();
    t.parse::<ferd_web::ipnet::IpNet>()
        .or_else(|_| t.parse::<std::net::IpAddr>().map(ferd_web::ipnet::IpNet::from))
        .map_err(|_| {
            Failure::input(format!(
                "trusted_proxies: '{t}' is not an address or a network (e.g. 127.0.0.1 or 10.0.0.0/8)"
            ))
        })
}

fn read_keys(path: &Path) -> Result<Keyring, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::input(format!(
            "cannot read the key file {}: {e} (create a practice with `ferd init`, or point FERD_KEY_FILE at the key file)",
            path.display()
        ))
    })?;
    Keyring::from_json(&text).map_err(|e| Failure::input(format!("{}: {e}", path.display())))
}

/// Writes a secret file readable by its owner only, atomically (a temporary file renamed into place).
fn write_secret(path: &Path, text: &str) -> Result<(), Failure> {
    let tmp = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| Failure::input(format!("cannot write {}: {e}", path.display())))
}

/// A new random password: 20 characters from 32 unambiguous letters and digits (100 bits).
fn generate_password() -> Result<String, Failure> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789A";
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes).map_err(|e| Failure::input(format!("no randomness: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect())
}

/// An argon2id hash of a password (PHC string).
pub fn hash_password(password: &str) -> Result<String, Failure> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Failure::input(format!("cannot hash the password: {e}")))
}

fn system() -> Actor {
    Actor::system(format!("cli-{}", uuid::Uuid::new_v4()))
}

/// `ferd init`: the data folder, config file, key file, database, the practice and its first admin.
pub async fn init(
    settings: &Settings,
    practice: &str,
    admin_email: &str,
    admin_name: &str,
) -> Result<String, Failure> {
    let dir = &settings.data_dir;
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    let config_path = dir.join("ferd.toml");
    if !config_path.exists() {
        std::fs::write(&config_path, CONFIG_TEMPLATE)
            .map_err(|e| Failure::input(format!("cannot write {}: {e}", config_path.display())))?;
    }
    let config = settings.config()?;
    if config.key_file.exists() {
        return Err(Failure::input(format!(
            "{} already exists: this data folder is initialised (use --data-dir for another practice)",
            config.key_file.display()
        )));
    }
    let keys = Keyring::generate().map_err(|e| Failure::input(e.to_string()))?;
    let store = config.open(keys.clone()).await?;
    let actor = system();
    if !store
        .practices(&actor)
        .await
        .map_err(Failure::from_store)?
        .is_empty()
    {
        return Err(Failure::input(
            "the database already holds a practice; ferd init starts a new one",
        ));
    }
    let password = generate_password()?;
    let p = store
        .create_practice(&actor, practice)
        .await
        .map_err(Failure::from_store)?;
    store
        .create_user(
            &actor,
            NewUser {
                practice_id: Some(p.id.clone()),
                email: admin_email.to_string(),
                display_name: admin_name.to_string(),
                role: Role::Admin,
                practice_admin: true,
                password_hash: Some(hash_password(&password)?),
            },
        )
        .await
        .map_err(Failure::from_store)?;
    // The key file is written last, so a failed init leaves no key for a database that has no practice.
    write_secret(&config.key_file, &keys.to_json())?;
    store.close().await;
    Ok(format!(
        "Initialised {} in {}\n  database: {}\n  key file: {} (mode 0600 — keep a copy apart from your backups)\n  admin:    {}\n  password: {}   (shown once; change it after signing in)",
        p.name,
        dir.display(),
        config.database_url,
        config.key_file.display(),
        admin_email.trim().to_lowercase(),
        password
    ))
}

/// `ferd user add`.
pub async fn user_add(
    settings: &Settings,
    email: &str,
    name: &str,
    role: &str,
    practice_admin: bool,
) -> Result<String, Failure> {
    let role = match Role::parse(role) {
        Some(r @ (Role::Admin | Role::Therapist)) => r,
        _ => {
            return Err(Failure::input(
                "--role must be admin or therapist (clients are invited by their therapist)",
            ))
        }
    };
    let store = settings.open().await?;
    let actor = system();
    let practices = store.practices(&actor).await.map_err(Failure::from_store)?;
    let practice =
        match practices.as_slice() {
            [p] => p.clone(),
            [] => return Err(Failure::input("no practice yet: run `ferd init` first")),
            _ => return Err(Failure::input(
                "this database holds several practices; manage their users in the web interface",
            )),
        };
    let password = generate_password()?;
    let user = store
        .create_user(
            &actor,
            NewUser {
                practice_id: Some(practice.id),
                email: email.to_string(),
                display_name: name.to_string(),
                role,
                practice_admin: practice_admin || role == Role::Admin,
                password_hash: Some(hash_password(&password)?),
            },
        )
        .await
        .map_err(Failure::from_store)?;
    store.close().await;
    Ok(format!(
        "Added {} ({}).\n  password: {password}   (shown once)",
        user.email, user.role
    ))
}

/// `ferd user list`.
pub async fn user_list(settings: &Settings) -> Result<String, Failure> {
    let store = settings.open().await?;
    let users = store.users(&system()).await.map_err(Failure::from_store)?;
    store.close().await;
    let mut out = format!(
        "{:<36} {:<10} {:<6} {:<8} {}\n",
        "EMAIL", "ROLE", "ADMIN", "STATUS", "NAME"
    );
    for u in users {
        out.push_str(&format!(
            "{:<36} {:<10} {:<6} {:<8} {}\n",
            u.email,
            u.role,
            if u.practice_admin { "yes" } else { "no" },
            if u.disabled { "disabled" } else { "active" },
            u.display_name
        ));
    }
    Ok(out.trim_end().to_string())
}

/// `ferd user disable|enable|reset-password`.
pub async fn user_update(
    settings: &Settings,
    email: &str,
    disabled: Option<bool>,
    reset: bool,
) -> Result<String, Failure> {
    let store = settings.open().await?;
    let password = if reset {
        Some(generate_password()?)
    } else {
        None
    };
    let hash = password.as_deref().map(hash_password).transpose()?;
    let user = store
        .update_user(&system(), email, disabled, hash.as_deref())
        .await
        .map_err(Failure::from_store)?;
    store.close().await;
    Ok(match password {
        Some(p) => format!("New password for {}: {p}   (shown once)", user.email),
        None => format!(
            "{} is now {}",
            user.email,
            if user.disabled { "disabled" } else { "active" }
        ),
    })
}

/// `ferd audit verify`: exit 0 with the count, or exit 1 naming the first broken event.
pub async fn audit_verify(settings: &Settings) -> Result<String, Failure> {
    let store = settings.open().await?;
    let result = store.verify_audit().await.map_err(Failure::from_store)?;
    store.close().await;
    match result {
        Ok(n) => Ok(format!("audit chain intact: {n} events")),
        Err(b) => Err(Failure {
            message: format!("audit chain broken: {b}"),
            code: 1,
        }),
    }
}

/// `ferd keys rotate`: a new key encrypts from now on; everything is re-encrypted under it; the old keys are
/// retired. The key file is rewritten twice (with both keys first), so an interruption never loses a key in use.
pub async fn keys_rotate(settings: &Settings) -> Result<String, Failure> {
    let config = settings.config()?;
    let mut keys = read_keys(&config.key_file)?;
    let new_id = keys
        .add_new_key()
        .map_err(|e| Failure::input(e.to_string()))?;
    write_secret(&config.key_file, &keys.to_json())?;
    let store = config.open(keys.clone()).await?;
    let n = store
        .reencrypt_all(&system())
        .await
        .map_err(Failure::from_store)?;
    store.close().await;
    // Backups written before the rotation still need the old keys: keep them in a file of their own, to be stored
    // with those backups, and take them out of the key file in daily use.
    let retired = config
        .key_file
        .with_file_name(format!("keys.retired-{}.json", ferd_store::now_ms() / 1000));
    write_secret(&retired, &keys.to_json())?;
    keys.retire_old_keys();
    write_secret(&config.key_file, &keys.to_json())?;
    Ok(format!(
        "Rotated to key {new_id}: {n} encrypted values re-encrypted; older keys retired from {}.\n  Backups made before now need {} (mode 0600): keep it with them.",
        config.key_file.display(),
        retired.display()
    ))
}

/// `ferd backup` and `ferd db export`: the whole practice as a portable archive, from one consistent snapshot.
pub async fn export(settings: &Settings, file: &Path) -> Result<String, Failure> {
    let store = settings.open().await?;
    let tmp = file.with_extension("partial");
    let out = std::fs::File::create(&tmp)
        .map_err(|e| Failure::input(format!("cannot create {}: {e}", tmp.display())))?;
    let mut out = BufWriter::new(out);
    let rows = store
        .export_archive(&mut out)
        .await
        .map_err(Failure::from_store)?;
    store.close().await;
    let f = out
        .into_inner()
        .map_err(|e| Failure::input(format!("cannot write {}: {e}", tmp.display())))?;
    f.sync_all()
        .map_err(|e| Failure::input(format!("cannot write {}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, file)
        .map_err(|e| Failure::input(format!("cannot write {}: {e}", file.display())))?;
    Ok(format!("Wrote {rows} rows to {}", file.display()))
}

/// `ferd restore` and `ferd db import`: an archive into an empty database, all or nothing.
pub async fn import(settings: &Settings, file: &Path) -> Result<String, Failure> {
    let input = std::fs::File::open(file)
        .map_err(|e| Failure::input(format!("cannot read {}: {e}", file.display())))?;
    let store = settings.open().await?;
    let rows = store
        .import_archive(BufReader::new(input))
        .await
        .map_err(Failure::from_store)?;
    let chain = store.verify_audit().await.map_err(Failure::from_store)?;
    store.close().await;
    match chain {
        Ok(n) => Ok(format!(
            "Restored {rows} rows from {}; audit chain intact ({n} events)",
            file.display()
        )),
        Err(b) => Err(Failure {
            message: format!("restored, but the archive's audit chain is broken: {b}"),
            code: 1,
        }),
    }
}

/// `ferd client export`: everything held about a client, as a FHIR Bundle.
pub async fn client_export(
    settings: &Settings,
    id: &str,
    out: Option<&Path>,
) -> Result<String, Failure> {
    let store = settings.open().await?;
    let bundle = store
        .export_client(&system(), id)
        .await
        .map_err(Failure::from_store)?;
    store.close().await;
    let text = serde_json::to_string_pretty(&bundle).map_err(|e| Failure::input(e.to_string()))?;
    match out {
        Some(path) => {
            write_secret(path, &text)?;
            Ok(format!(
                "Wrote the client's data to {} (mode 0600)",
                path.display()
            ))
        }
        None => Ok(text),
    }
}

/// `ferd client erase`.
pub async fn client_erase(settings: &Settings, id: &str) -> Result<String, Failure> {
    let store = settings.open().await?;
    store
        .erase_client(&system(), id)
        .await
        .map_err(Failure::from_store)?;
    store.close().await;
    Ok(format!(
        "Erased client {id}; the audit trail records that an erasure happened and who did it."
    ))
}
