//! Property tests of the fold with skewed phone clocks (a day ahead or behind, reset to 1970, far in the
//! future): the server's corrections (`timefix`) are applied as the server applies them, and then
//! - every fold of the same operations, in any order, gives the same state;
//! - an operation made on a right clock after the bound (its rival's receipt plus twice the tolerance)
//!   wins the race, whatever the rival's clock said;
//! - where the rival's offset was measured, the truly later of the two wins once they are more than
//!   twice the tolerance apart;
//! - the corrected time of every operation is its true time when the offset was measured and the clock
//!   did not change in between.

use proptest::prelude::*;
use torgkoll_shared::timefix::{
    CLOCK_TOLERANCE_MS, DeviceTime, Receipt, TimeFix, corrected_times, effective_clock,
};
use torgkoll_shared::{
    CleaningCategory, CleaningReport, GeoPoint, Hlc, OpBody, Operation, Role, State, Status,
};
use uuid::Uuid;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_795_000_000_000;
const ENROLLED: i64 = T0 - 60 * DAY;
const TOL: i64 = CLOCK_TOLERANCE_MS;

/// How a phone's clock is wrong: what it reads at a true instant.
#[derive(Clone, Copy, Debug)]
enum Skew {
    Right,
    By(i64),
    /// Reset to the epoch at `T0 - 3 days`: reads the time since then.
    Epoch,
    FarFuture,
}

impl Skew {
    fn read(self, true_ms: i64) -> i64 {
        match self {
            Skew::Right => true_ms,
            Skew::By(d) => true_ms + d,
            Skew::Epoch => true_ms - (T0 - 3 * DAY),
            Skew::FarFuture => true_ms + 60 * 365 * DAY,
        }
    }
}

fn arb_skew() -> impl Strategy<Value = Skew> {
    prop_oneof![
        Just(Skew::Right),
        Just(Skew::By(DAY)),
        Just(Skew::By(-DAY)),
        (-3 * DAY..3 * DAY).prop_map(Skew::By),
        Just(Skew::Epoch),
        Just(Skew::FarFuture),
    ]
}

fn device(n: u128) -> Uuid {
    Uuid::from_u128(0xD000 + n)
}

fn op(dev: u128, seq: u64, made_true: i64, skew: Skew, body: OpBody, id: Uuid) -> Operation {
    let wall = skew.read(made_true);
    Operation {
        id,
        device: device(dev),
        seq,
        hlc: Hlc::new(wall.max(0) as u64, 0),
        wall_ms: wall,
        role: Role::Manager,
        body,
        fix: None,
    }
}

/// What the server does with one device's push: the corrected times, then the effective clocks.
fn accept(dev: &mut DeviceTime, receipt: Receipt, ops: &mut [Operation]) {
    let walls: Vec<Option<i64>> = ops.iter().map(|o| Some(o.wall_ms)).collect();
    for (o, at) in ops.iter_mut().zip(corrected_times(dev, &receipt, &walls)) {
        let clock = effective_clock(o.hlc, at, dev.last_clock);
        o.fix = TimeFix::between(o.wall_ms, o.hlc, at, clock);
        dev.last_at = Some(at);
        dev.last_clock = Some(clock);
    }
}

fn fresh() -> DeviceTime {
    DeviceTime {
        enrolled_ms: ENROLLED,
        last_at: None,
        last_clock: None,
    }
}

fn report() -> (Operation, Uuid) {
    let id = Uuid::from_u128(0xAAAA);
    let body = OpBody::Clean(CleaningReport {
        category: CleaningCategory::Glaskross,
        amount: None,
        note: None,
        at: GeoPoint::new(18.0641, 59.3322),
        acc: None,
    });
    let mut create = op(0, 1, T0 - DAY, Skew::Right, body, id);
    accept(
        &mut fresh(),
        Receipt::new(T0 - DAY, Some(T0 - DAY)),
        std::slice::from_mut(&mut create),
    );
    (create, id)
}

/// A race on one report: the skewed phone resolves it, the right phone says it is still there.
struct Race {
    create: Operation,
    resolve: Operation,
    again: Operation,
    recv: i64,
}

fn race(skew: Skew, measured: bool, t_resolve: i64, delay: i64, t_again: i64) -> Race {
    let (create, report) = report();
    let mut resolve = op(
        1,
        1,
        t_resolve,
        skew,
        OpBody::Resolve { report },
        Uuid::from_u128(0xB1),
    );
    let recv = t_resolve + delay;
    let phone_ms = measured.then(|| skew.read(recv));
    accept(
        &mut fresh(),
        Receipt::new(recv, phone_ms),
        std::slice::from_mut(&mut resolve),
    );
    let mut again = op(
        2,
        1,
        t_again,
        Skew::Right,
        OpBody::StillThere { report },
        Uuid::from_u128(0xC1),
    );
    // The right phone may have pulled the resolve first: its clock observes it, within the bound.
    if t_again > recv {
        again.hlc = Hlc::new(0, 0)
            .observe(resolve.clock(), t_again)
            .tick(t_again);
    }
    let again_recv = t_again.max(recv) + 1_000;
    accept(
        &mut fresh(),
        Receipt::new(again_recv, Some(again_recv)),
        std::slice::from_mut(&mut again),
    );
    Race {
        create,
        resolve,
        again,
        recv,
    }
}

fn status(ops: &[&Operation]) -> Status {
    State::fold(ops.iter().copied()).reports[&Uuid::from_u128(0xAAAA)].status()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_right_clock_after_the_bound_wins_and_every_order_agrees(
        skew in arb_skew(),
        measured in any::<bool>(),
        delay in 0..(6 * 3_600_000i64),
        after in 1..(3 * DAY),
    ) {
        let t_resolve = T0;
        let recv = t_resolve + delay;
        let r = race(skew, measured, t_resolve, delay, recv + 2 * TOL + after);
        prop_assert_eq!(r.recv, recv);
        let orders = [
            [&r.create, &r.resolve, &r.again],
            [&r.again, &r.resolve, &r.create],
            [&r.resolve, &r.create, &r.again],
        ];
        for o in orders {
            prop_assert_eq!(status(&o), Status::Open, "{:?} {:?}", skew, r.resolve.fix);
        }
    }

    #[test]
    fn with_a_measured_offset_the_truly_later_wins(
        skew in arb_skew(),
        delay in 0..(6 * 3_600_000i64),
        gap in (2 * TOL + 1)..DAY,
        again_later in any::<bool>(),
    ) {
        let t_resolve = T0;
        let t_again = if again_later { t_resolve + gap } else { t_resolve - gap };
        let r = race(skew, true, t_resolve, delay, t_again);
        // The skewed phone's clock did not change between making and sending: its time is exact once it
        // is corrected, and within the tolerance when it is trusted as it is.
        let error = (r.resolve.at_ms() - t_resolve).abs();
        if (skew.read(t_resolve) - t_resolve).abs() > TOL {
            prop_assert_eq!(error, 0);
        } else {
            prop_assert!(error <= TOL);
        }
        let want = if again_later { Status::Open } else { Status::Resolved };
        prop_assert_eq!(status(&[&r.create, &r.resolve, &r.again]), want);
        prop_assert_eq!(status(&[&r.again, &r.resolve, &r.create]), want);
    }

    /// Observing any clock moves a phone's own clock at most the tolerance ahead of its wall clock (or
    /// not at all, if it was further ahead already).
    #[test]
    fn observing_is_bounded(own in any::<u64>(), remote in any::<u64>(), now in 0..(T0 * 2)) {
        let merged = Hlc(own).observe(Hlc(remote), now);
        let bound = Hlc(own).max(Hlc::new((now + TOL) as u64, 0));
        prop_assert!(merged <= bound);
        prop_assert!(merged >= Hlc(own));
    }
}
