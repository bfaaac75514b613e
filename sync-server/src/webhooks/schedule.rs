//! When things happen, decided purely from the server's clock: a delivery's next attempt (5 s, 30 s,
//! 2 min, 10 min, 30 min, then hourly, for 24 hours from its creation, the last attempt at the 24-hour
//! mark), and the day whose lägesbild is due (the previous local day, once the clock has passed the set
//! time of day in Stockholm).

use torgkoll_shared::calendar::{Date, local_date};

use super::model::Outcome;

/// How long a delivery is tried, from its creation.
pub const RETRY_FOR_MS: i64 = 24 * 3_600_000;

/// The wait after the `n`th failed attempt (1-based).
pub fn backoff_ms(n: u32) -> i64 {
    match n {
        0 | 1 => 5_000,
        2 => 30_000,
        3 => 120_000,
        4 => 600_000,
        5 => 1_800_000,
        _ => 3_600_000,
    }
}

/// What a failed attempt at `now_ms` (the `attempt`th, 1-based) leaves: another at the next step of the
/// back-off (never later than 24 hours after creation), or failed once those 24 hours are over.
pub fn after_failure(created_ms: i64, attempt: u32, now_ms: i64, error: String) -> Outcome {
    let give_up = created_ms.saturating_add(RETRY_FOR_MS);
    if now_ms >= give_up {
        return Outcome::Failed { error };
    }
    Outcome::Retry {
        next_ms: now_ms.saturating_add(backoff_ms(attempt)).min(give_up),
        error,
    }
}

/// The day whose lägesbild is due at `now_ms` when it is made each day at `hour:minute` Stockholm time
/// and `last` was the last day made: the previous local day, once today's `hour:minute` has passed and
/// that day was not made yet.
pub fn lagesbild_due(now_ms: i64, (hour, minute): (u8, u8), last: Option<Date>) -> Option<Date> {
    let today = local_date(now_ms);
    if now_ms < today.at_local(hour, minute) {
        return None;
    }
    let day = today.add_days(-1);
    last.is_none_or(|l| l < day).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_backs_off_and_gives_up_after_a_day() {
        let t0 = 1_795_000_000_000;
        let err = || "HTTP 500".to_string();
        assert_eq!(
            after_failure(t0, 1, t0, err()),
            Outcome::Retry {
                next_ms: t0 + 5_000,
                error: err()
            }
        );
        let mut now = t0;
        let mut attempts = 1;
        let mut waits = Vec::new();
        while let Outcome::Retry { next_ms, .. } = after_failure(t0, attempts, now, err()) {
            waits.push(next_ms - now);
            now = next_ms;
            attempts += 1;
        }
        assert_eq!(
            waits[..6],
            [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000]
        );
        assert_eq!(
            now,
            t0 + RETRY_FOR_MS,
            "the last attempt is at the 24-hour mark"
        );
        assert!(waits.iter().all(|w| *w > 0 && *w <= 3_600_000));
        assert_eq!(attempts, 1 + waits.len() as u32);
    }

    #[test]
    fn the_lagesbild_is_due_once_a_day_after_its_time() {
        for day in [
            "2026-11-26",
            "2027-03-28",
            "2027-03-29",
            "2027-10-31",
            "2026-07-01",
        ] {
            let d = Date::parse(day).unwrap();
            let seven = d.at_local(7, 0);
            assert_eq!(lagesbild_due(seven - 60_000, (7, 0), None), None, "{day}");
            assert_eq!(
                lagesbild_due(seven, (7, 0), None),
                Some(d.add_days(-1)),
                "{day}"
            );
            assert_eq!(
                lagesbild_due(seven + 5 * 60_000, (7, 0), Some(d.add_days(-1))),
                None
            );
            assert_eq!(
                lagesbild_due(d.at_local(23, 59), (7, 0), Some(d.add_days(-2))),
                Some(d.add_days(-1)),
                "a server down at 07:00 makes it when it comes back that day"
            );
        }
        // The hour that does not exist on the spring night reads as the hour after.
        let spring = Date::parse("2027-03-28").unwrap();
        assert_eq!(lagesbild_due(spring.at_local(3, 15), (2, 30), None), None);
        assert!(lagesbild_due(spring.at_local(3, 30), (2, 30), None).is_some());
    }
}
