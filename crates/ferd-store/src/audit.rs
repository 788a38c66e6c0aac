//! The audit trail: every read and write of client data appends an event in the same transaction, and the events
//! form a SHA-256 hash chain: `hash = SHA-256(prev_hash | seq | at | actor | role | action | entity | entity_id |
//! request_id)`. Events say who did what to which record, never what the record holds.

use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::statements::Stmt;
use crate::{now_ms, Actor, StoreError};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: i64,
    pub actor_id: String,
    pub actor_role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub request_id: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// The hash this event must carry, from its fields and the previous hash.
    pub fn expected_hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.prev_hash.as_str(),
            &self.seq.to_string(),
            &self.at.to_string(),
            &self.actor_id,
            &self.actor_role,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.request_id,
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        hex::encode(h.finalize())
    }
}

/// An event to append: who did what to which record.
pub(crate) struct NewEvent<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
}

/// Appends an event inside the caller's transaction. It first advances the chain head, which takes the write lock
/// (SQLite) or the head row's lock (PostgreSQL), so concurrent appends from several instances line up.
pub(crate) async fn append(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
) -> Result<i64, StoreError> {
    let event = NewEvent {
        actor,
        action,
        entity,
        entity_id,
    };
    let (first, prev_hash) = reserve(tx, 1).await?;
    write_events(tx, first, prev_hash, std::slice::from_ref(&event)).await?;
    Ok(first)
}

/// Advances the chain head by `n` places and returns the first of them and the hash before it. This takes the write
/// lock (SQLite) or the head row's lock (PostgreSQL) until the transaction ends, so concurrent appends from several
/// instances line up. [`write_events`] must follow in the same transaction: it sets the head to the last event it
/// writes, so a writer that ends up needing fewer places than it reserved leaves no gap.
pub(crate) async fn reserve(
    tx: &mut Transaction<'static, Any>,
    n: usize,
) -> Result<(i64, String), StoreError> {
    let n = i64::try_from(n).map_err(|_| StoreError::Database("too many audit events".into()))?;
    let row = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
        .bind(n)
        .fetch_one(&mut **tx)
        .await?;
    let last: i64 = row.try_get(0)?;
    let prev_hash: String = row.try_get(1)?;
    Ok((last - n + 1, prev_hash))
}

/// Writes `events` as the chain's places `first`, `first + 1`, … after `prev_hash` (from [`reserve`]), and sets the
/// head to the last of them. On SQLite this is one call to the database whatever the number of events.
pub(crate) async fn write_events(
    tx: &mut Transaction<'static, Any>,
    first: i64,
    prev_hash: String,
    events: &[NewEvent<'_>],
) -> Result<(), StoreError> {
    let sqlite = tx.backend_name() == "SQLite";
    let stmts = event_statements(first, prev_hash, events);
    crate::statements::run(tx, &stmts, sqlite).await?;
    Ok(())
}

/// The statements that write `events` as the chain's places `first`, `first + 1`, … after `prev_hash` and set the
/// head to the last of them (to `first - 1` when there are none, giving back what was reserved). The events go in one
/// INSERT of ten parameters each: meant for one event or one batch of responses, far below either database's limit
/// on parameters.
pub(crate) fn event_statements(
    first: i64,
    mut prev_hash: String,
    events: &[NewEvent<'_>],
) -> Vec<Stmt> {
    let at = now_ms();
    let mut built = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let mut event = AuditEvent {
            seq: first + i as i64,
            at,
            actor_id: e.actor.user_id.clone(),
            actor_role: e.actor.role.as_str().to_string(),
            action: e.action.to_string(),
            entity: e.entity.to_string(),
            entity_id: e.entity_id.to_string(),
            request_id: e.actor.request_id.clone(),
            prev_hash,
            hash: String::new(),
        };
        event.hash = event.expected_hash();
        prev_hash = event.hash.clone();
        built.push(event);
    }
    let mut stmts = Vec::new();
    if !built.is_empty() {
        let values = (0..built.len())
            .map(|r| {
                let params: Vec<String> = (1..=10).map(|k| format!("${}", r * 10 + k)).collect();
                format!("({})", params.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = Stmt::new(format!(
            "INSERT INTO audit_events (seq, at, actor_id, actor_role, action, entity, entity_id, request_id, prev_hash, hash) VALUES {values}"
        ));
        for e in &built {
            stmt = stmt
                .int(e.seq)
                .int(e.at)
                .text(&e.actor_id)
                .text(&e.actor_role)
                .text(&e.action)
                .text(&e.entity)
                .text(&e.entity_id)
                .text(&e.request_id)
                .text(&e.prev_hash)
                .text(&e.hash);
        }
        stmts.push(stmt);
    }
    let head_seq = first + built.len() as i64 - 1;
    stmts.push(if built.is_empty() {
        Stmt::new("UPDATE audit_head SET seq = $1 WHERE id = 1").int(head_seq)
    } else {
        Stmt::new("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .int(head_seq)
            .text(prev_hash)
    });
    stmts
}

/// The first break in the chain, naming the event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error(
        "audit event {seq} was changed or moved (its hash does not match its contents and place)"
    )]
    Changed { seq: i64 },
    #[error("audit event {seq} was removed (event {next} follows event {previous})")]
    Removed { seq: i64, previous: i64, next: i64 },
    #[error(
        "audit event {seq} was reordered or replaced (it does not follow from event {previous})"
    )]
    Reordered { seq: i64, previous: i64 },
    #[error("audit events after {last} were removed (the chain head records {head} events)")]
    Truncated { last: i64, head: i64 },
    #[error("the audit chain head does not match event {last}")]
    HeadMismatch { last: i64 },
}

/// Checks a sequence of events (ordered by `seq`) against the chain head, and names the first event that was
/// changed, removed or reordered.
pub fn verify_events(
    events: &[AuditEvent],
    head_seq: i64,
    head_hash: &str,
) -> Result<i64, ChainBreak> {
    let mut previous_seq = 0;
    let mut previous_hash = GENESIS.to_string();
    for e in events {
        if e.seq != previous_seq + 1 {
            if e.seq > previous_seq + 1 {
                return Err(ChainBreak::Removed {
                    seq: previous_seq + 1,
                    previous: previous_seq,
                    next: e.seq,
                });
            }
            return Err(ChainBreak::Reordered {
                seq: e.seq,
                previous: previous_seq,
            });
        }
        if e.hash != e.expected_hash() {
            return Err(ChainBreak::Changed { seq: e.seq });
        }
        if e.prev_hash != previous_hash {
            return Err(ChainBreak::Reordered {
                seq: e.seq,
                previous: previous_seq,
            });
        }
        previous_seq = e.seq;
        previous_hash = e.hash.clone();
    }
    if head_seq > previous_seq {
        return Err(ChainBreak::Truncated {
            last: previous_seq,
            head: head_seq,
        });
    }
    if head_seq != previous_seq || head_hash != previous_hash {
        return Err(ChainBreak::HeadMismatch { last: previous_seq });
    }
    Ok(previous_seq)
}

/// A read's audit event waiting to be written.
pub(crate) struct PendingRead {
    pub actor: Actor,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub done: tokio::sync::oneshot::Sender<Result<(), String>>,
}

/// Writes the audit events of reads in batches: it takes what is queued (up to 512), appends each to the chain in one
/// transaction, commits, and tells each reader. Under load many reads share one commit; alone, a read waits for one
/// short transaction, as before.
pub(crate) async fn run_read_batcher(
    pool: sqlx::AnyPool,
    write_lock: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    mut queue: tokio::sync::mpsc::UnboundedReceiver<PendingRead>,
) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < 512 {
            match queue.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let result = async {
            let _turn = match &write_lock {
                Some(lock) => Some(lock.clone().lock_owned().await),
                None => None,
            };
            let mut tx = pool.begin().await?;
            for p in &batch {
                append(&mut tx, &p.actor, &p.action, &p.entity, &p.entity_id).await?;
            }
            tx.commit().await?;
            Ok::<(), crate::StoreError>(())
        }
        .await
        .map_err(|e| e.to_string());
        for p in batch {
            let _ = p.done.send(result.clone());
        }
    }
}
