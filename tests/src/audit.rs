//! Checking a sync against the truth: what the server holds (pulled from position 0 by a device that
//! made nothing), and what each phone should show (the fold of every operation its role may see).

use std::collections::{HashMap, HashSet};

use torgkoll_app::sync::{SyncClient, SyncError};
use torgkoll_shared::protocol::PulledOp;
use torgkoll_shared::{Domain, OpBody, Operation, Role, State};
use uuid::Uuid;

/// Everything the server hands out, pulled page by page from position 0.
pub async fn pull_all(client: &SyncClient) -> Result<Vec<PulledOp>, SyncError> {
    let mut all = Vec::new();
    let mut pos = 0;
    loop {
        let resp = client.round(&[], pos, Some(5_000)).await?;
        let n = resp.ops.len();
        all.extend(resp.ops);
        pos = resp.pull_pos;
        if !resp.more || n == 0 {
            return Ok(all);
        }
    }
}

/// Made operations compared with what the server holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    pub made: usize,
    pub on_server: usize,
    pub missing: usize,
    /// The same operation id twice, or the same (device, seq) twice.
    pub duplicates: usize,
}

pub fn audit(made: &[Operation], server: &[PulledOp]) -> Audit {
    let mut ids = HashSet::new();
    let mut numbers = HashSet::new();
    let mut duplicates = 0;
    for p in server {
        let new_id = ids.insert(p.op.id);
        let new_number = numbers.insert((p.dev, p.op.seq));
        if !new_id || !new_number {
            duplicates += 1;
        }
    }
    Audit {
        made: made.len(),
        on_server: server.len(),
        missing: made.iter().filter(|o| !ids.contains(&o.id)).count(),
        duplicates,
    }
}

/// The domain of every operation: its own for one that creates, its target's for one that changes.
pub fn domains(ops: &[Operation]) -> HashMap<Uuid, Domain> {
    let mut created = HashMap::new();
    for op in ops {
        match &op.body {
            OpBody::Disturbance(_) => created.insert(op.id, Domain::Disturbance),
            OpBody::Clean(_) | OpBody::CleanRequest { .. } | OpBody::RunStart { .. } => {
                created.insert(op.id, Domain::Cleaning)
            }
            _ => None,
        };
    }
    ops.iter()
        .map(|op| {
            let d = match op.body.target() {
                Some(t) => created.get(&t).copied().unwrap_or(Domain::Cleaning),
                None => created[&op.id],
            };
            (op.id, d)
        })
        .collect()
}

/// Whether a role is sent operations of a domain (the rule the server and the phones keep).
pub fn visible(role: Role, domain: Domain) -> bool {
    torgkoll_shared::access::may_see(role, domain)
}

/// What a phone of `role` should show once everything is synced.
pub fn expected_state(role: Role, all: &[Operation], domains: &HashMap<Uuid, Domain>) -> State {
    State::fold(all.iter().filter(|op| visible(role, domains[&op.id])))
}
