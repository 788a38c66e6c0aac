//! The audit trail: every read and write of client data appends an event in the same transaction, and the events
//! form a SHA-256 hash chain: `hash = SHA-256(prev_hash | seq | at | actor | role | action | entity | entity_id |
//! request_id)`. Events say who did what to which record, never what the record holds.

use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

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

/// Appends an event inside the caller's transaction. It first advances the chain head, which takes the write lock
/// (SQLite) or the head row's lock (PostgreSQL), so concurrent appends from several instances line up.
pub(crate) async fn append(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = row.try_get(0)?;
    let prev_hash: String = row.try_get(1)?;
    let mut event = AuditEvent {
        seq,
        at: now_ms(),
        actor_id: actor.user_id.clone(),
        actor_role: actor.role.as_str().to_string(),
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id: entity_id.to_string(),
        request_id: actor.request_id.clone(),
        prev_hash,
        hash: String::new(),
    };
    event.hash = event.expected_hash();
    sqlx::query(
        "INSERT INTO audit_events (seq, at, actor_id, actor_role, action, entity, entity_id, request_id, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(event.seq)
    .bind(event.at)
    .bind(&event.actor_id)
    .bind(&event.actor_role)
    .bind(&event.action)
    .bind(&event.entity)
    .bind(&event.entity_id)
    .bind(&event.request_id)
    .bind(&event.prev_hash)
    .bind(&event.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&event.hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
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
