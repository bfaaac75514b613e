//! The pure part of sync: what to do after a round, how long to wait before retrying, how to shrink a batch
//! the server found too large. No I/O, no clock, no randomness: the jitter comes in as an argument.

use std::time::Duration;

/// What one round of sync did, as far as deciding the next step goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundFacts {
    /// The sequence numbers sent in this round (first, last), if any were sent.
    pub sent: Option<(u64, u64)>,
    /// What the server acknowledged through.
    pub acked_through: u64,
    /// Operations still in the outbox after applying the answer.
    pub outbox_left: u64,
    /// Operations pulled in this round.
    pub pulled: usize,
    /// Whether the server said more operations wait to be pulled.
    pub more: bool,
    /// Whether the request was an early one: a batch sent before the answer to the request before it,
    /// pulling nothing (`pulled` and `more` are then those of the last answer that pulled).
    pub early: bool,
}

/// The step after a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Send another round straight away.
    Round,
    /// Everything is sent and pulled.
    Done,
    /// The server did not acknowledge what was sent: sending it again would loop forever.
    Stalled { sent_from: u64, acked_through: u64 },
}

/// Requests of one sync in flight at once: the one being answered, and the batch after it, sent
/// before that answer so that the server decodes it while it stores the one before.
pub const MAX_IN_FLIGHT: usize = 2;

/// Decides what follows a round. Stops on an empty page even if the server claims more (a server bug must
/// not turn into a busy loop), and stops when the server acknowledges none of what was sent, unless the
/// request was an early one: then the batch before it may not have been stored when it came (it failed,
/// or the server's wait for it ran out), and the next round reads the outbox again from what the server
/// acknowledged, in a request that is not early.
pub fn next_after(f: RoundFacts) -> Next {
    if let Some((first, _)) = f.sent
        && f.acked_through < first
    {
        if f.early {
            return Next::Round;
        }
        return Next::Stalled {
            sent_from: first,
            acked_through: f.acked_through,
        };
    }
    if f.outbox_left > 0 || (f.more && f.pulled > 0) {
        Next::Round
    } else {
        Next::Done
    }
}

/// The batch to try after the server answered "too large", or `None` when one operation is already too
/// large (the server should have rejected it with a reason instead).
pub fn shrink_batch(batch: usize) -> Option<usize> {
    (batch > 1).then_some(batch / 2)
}

/// Exponential backoff with jitter, capped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// The delay after the first failure.
    pub base: Duration,
    /// The longest delay.
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(60),
        }
    }
}

impl Backoff {
    /// The delay before retry number `attempt` (0 after the first failure), given a `jitter` in [0, 1).
    /// "Equal jitter": half of the exponential step is fixed, the other half random, so retries of many
    /// phones spread out but never come back sooner than half the step.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let step = self
            .base
            .saturating_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX))
            .min(self.cap);
        let j = jitter.clamp(0.0, 1.0);
        step / 2 + step.mul_f64(j / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(
        sent: Option<(u64, u64)>,
        acked: u64,
        left: u64,
        pulled: usize,
        more: bool,
    ) -> RoundFacts {
        RoundFacts {
            sent,
            acked_through: acked,
            outbox_left: left,
            pulled,
            more,
            early: false,
        }
    }

    #[test]
    fn next_step_table() {
        let cases = [
            // Nothing to send, nothing more to pull: done.
            (facts(None, 0, 0, 0, false), Next::Done),
            // A full push batch acknowledged, more in the outbox: another round.
            (facts(Some((1, 5000)), 5000, 5000, 0, false), Next::Round),
            // The last batch acknowledged, a pull page with more behind it: another round.
            (
                facts(Some((5001, 10000)), 10000, 0, 5000, true),
                Next::Round,
            ),
            // An empty page that claims more: stop (Atuin #3122).
            (facts(None, 10000, 0, 0, true), Next::Done),
            // Acknowledged only part of the batch (the rest rejected later or the server caps): progress, go on.
            (facts(Some((1, 5000)), 2500, 2500, 0, false), Next::Round),
            // Nothing of the batch acknowledged: stalled, never loop.
            (
                facts(Some((7, 9)), 5, 3, 0, false),
                Next::Stalled {
                    sent_from: 7,
                    acked_through: 5,
                },
            ),
            // A resend of an acknowledged batch (acked beyond it) is fine.
            (facts(Some((1, 3)), 3, 0, 0, false), Next::Done),
            // Pulled the last page.
            (facts(None, 0, 0, 17, false), Next::Done),
            // An early batch the server did not store (the one before it had not come): read the
            // outbox again, no stall.
            (
                RoundFacts {
                    early: true,
                    ..facts(Some((1001, 6000)), 1000, 5000, 0, false)
                },
                Next::Round,
            ),
            // An early batch acknowledged, the outbox empty, the last pulling answer had more: pull.
            (
                RoundFacts {
                    early: true,
                    ..facts(Some((1001, 6000)), 6000, 0, 5000, true)
                },
                Next::Round,
            ),
            (
                RoundFacts {
                    early: true,
                    ..facts(Some((1001, 6000)), 6000, 0, 0, false)
                },
                Next::Done,
            ),
        ];
        for (i, (f, want)) in cases.into_iter().enumerate() {
            assert_eq!(next_after(f), want, "case {i}: {f:?}");
        }
    }

    #[test]
    fn backoff_table() {
        let b = Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(60),
        };
        let ms = |d: Duration| d.as_millis();
        let cases = [
            (0, 0.0, 500),
            (0, 0.999_999, 999),
            (1, 0.0, 1_000),
            (1, 0.5, 1_500),
            (3, 0.0, 4_000),
            (5, 1.0, 32_000),
            (6, 0.0, 30_000), // 64 s capped to 60 s, half of it fixed
            (6, 1.0, 60_000),
            (40, 0.25, 37_500), // huge attempt numbers do not overflow
            (2, -3.0, 2_000),   // jitter out of range is clamped
        ];
        for (attempt, jitter, want) in cases {
            assert_eq!(
                ms(b.delay(attempt, jitter)),
                want,
                "attempt {attempt} jitter {jitter}"
            );
        }
    }

    #[test]
    fn backoff_never_exceeds_cap_and_grows() {
        let b = Backoff::default();
        let mut last = Duration::ZERO;
        for attempt in 0..50 {
            let d = b.delay(attempt, 0.0);
            assert!(d >= last && b.delay(attempt, 1.0) <= b.cap);
            last = d;
        }
    }

    #[test]
    fn shrinking_batches() {
        assert_eq!(shrink_batch(5000), Some(2500));
        assert_eq!(shrink_batch(3), Some(1));
        assert_eq!(shrink_batch(1), None);
        assert_eq!(shrink_batch(0), None);
    }
}
