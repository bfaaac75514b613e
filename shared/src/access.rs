//! Who may see what: one rule for the server (what a phone is sent), the phones (what a screen shows)
//! and the tests that check both. Cleaners see cleaning data only, never a disturbance or its free
//! text; guards and the platsansvarig see everything.

use crate::op::Domain;
use crate::report::{Report, ReportBody};
use crate::vocab::Role;

/// The only domain a role may see, or `None` for every domain.
pub fn visible_domain(role: Role) -> Option<Domain> {
    match role {
        Role::Cleaner => Some(Domain::Cleaning),
        Role::Guard | Role::Manager => None,
    }
}

/// Whether a role may see data of a domain.
pub fn may_see(role: Role, domain: Domain) -> bool {
    visible_domain(role).is_none_or(|d| d == domain)
}

/// The domain of a report, once its creating operation has been seen.
pub fn domain_of_report(r: &Report) -> Option<Domain> {
    match r.body.as_ref()? {
        ReportBody::Cleaning { .. } => Some(Domain::Cleaning),
        ReportBody::Disturbance(_) => Some(Domain::Disturbance),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaners_see_cleaning_only_the_others_everything() {
        assert!(may_see(Role::Cleaner, Domain::Cleaning));
        assert!(!may_see(Role::Cleaner, Domain::Disturbance));
        for role in [Role::Guard, Role::Manager] {
            assert!(may_see(role, Domain::Cleaning) && may_see(role, Domain::Disturbance));
        }
    }
}
