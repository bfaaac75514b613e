//! The correction rules case by case, and their bounds for any input.

use proptest::prelude::*;

use super::*;

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_795_000_000_000; // 2026-11-17
const ENROLLED: i64 = NOW - 30 * DAY;

fn dev() -> DeviceTime {
    DeviceTime {
        enrolled_ms: ENROLLED,
        last_at: None,
        last_clock: None,
    }
}

#[test]
fn a_right_clock_is_trusted() {
    let r = Receipt::new(NOW, Some(NOW + 900));
    assert!(!r.clock_is_off());
    let walls = [NOW - 3 * DAY, NOW - 60_000, NOW - 5];
    assert_eq!(
        corrected_times(&dev(), &r, &walls.map(Some)),
        walls.to_vec()
    );
    let hlc = Hlc::new((NOW - 5) as u64, 3);
    assert_eq!(effective_clock(hlc, NOW - 5, None), hlc);
    assert_eq!(TimeFix::between(NOW - 5, hlc, NOW - 5, hlc), None);
}

#[test]
fn a_measured_offset_is_taken_off() {
    // A day ahead, a day behind, and still in 1970 when it syncs.
    for phone_now in [NOW + DAY, NOW - DAY, 3_600_000] {
        let r = Receipt::new(NOW, Some(phone_now));
        assert!(r.clock_is_off());
        let made = NOW - 2 * 3_600_000;
        let wall = made + (phone_now - NOW);
        assert_eq!(corrected_times(&dev(), &r, &[Some(wall)]), vec![made]);
    }
}

#[test]
fn without_an_offset_impossible_times_become_the_receive_time() {
    let r = Receipt::new(NOW, None);
    assert_eq!(corrected_times(&dev(), &r, &[Some(NOW + DAY)]), vec![NOW]);
    assert_eq!(
        corrected_times(&dev(), &r, &[Some(60_000), None]),
        vec![NOW, NOW]
    );
    // Possible times stand, even a day old.
    assert_eq!(
        corrected_times(&dev(), &r, &[Some(NOW - DAY)]),
        vec![NOW - DAY]
    );
    // A request's own clock that cannot be real gives no offset.
    assert_eq!(Receipt::new(NOW, Some(i64::MAX)).offset_ms, None);
    assert_eq!(Receipt::new(NOW, Some(-5)).offset_ms, None);
}

#[test]
fn an_impossible_time_takes_the_next_operations_time() {
    // Reset to 1970 for two operations (and one whose time could not be read), then set right again
    // before syncing: they were made before the fourth.
    let r = Receipt::new(NOW, Some(NOW));
    let walls = [
        Some(120_000),
        Some(180_000),
        None,
        Some(NOW - 600_000),
        Some(NOW - 300_000),
    ];
    assert_eq!(
        corrected_times(&dev(), &r, &walls),
        vec![
            NOW - 600_000,
            NOW - 600_000,
            NOW - 600_000,
            NOW - 600_000,
            NOW - 300_000
        ]
    );
}

#[test]
fn a_device_never_goes_back_before_its_previous_operation() {
    let d = DeviceTime {
        last_at: Some(NOW - 1_000),
        ..dev()
    };
    let r = Receipt::new(NOW, Some(NOW));
    assert_eq!(
        corrected_times(&d, &r, &[Some(NOW - DAY), Some(NOW - 500)]),
        vec![NOW - 1_000, NOW - 500]
    );
}

#[test]
fn a_clock_far_from_the_corrected_time_is_replaced_and_order_kept() {
    let at = NOW - 60_000;
    assert_eq!(
        effective_clock(Hlc(u64::MAX), at, None),
        Hlc::new(at as u64, 0)
    );
    assert_eq!(
        effective_clock(Hlc::new((at + DAY) as u64, 9), at, None),
        Hlc::new(at as u64, 0)
    );
    // Within the tolerance the phone's clock stands.
    let near = Hlc::new((at + CLOCK_TOLERANCE_MS) as u64, 2);
    assert_eq!(effective_clock(near, at, None), near);
    // Never at or before the device's previous operation.
    let last = Hlc::new(at as u64, 4);
    assert_eq!(
        effective_clock(Hlc::new((at + DAY) as u64, 0), at, Some(last)),
        Hlc::new(at as u64, 5)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever the phone says, corrected times lie between the enrollment and the receipt (each with the
    /// tolerance), never go back within a device, and effective clocks stay within the tolerance of them
    /// and strictly increase with the sequence.
    #[test]
    fn corrections_are_bounded_for_any_input(
        walls in prop::collection::vec(prop::option::of(any::<i64>()), 1..20),
        hlcs in prop::collection::vec(any::<u64>(), 20),
        phone in prop::option::of(any::<i64>()),
        recv_back in 0i64..(10 * DAY),
    ) {
        let recv = NOW - recv_back;
        let d = dev();
        let r = Receipt::new(recv, phone);
        let ats = corrected_times(&d, &r, &walls);
        prop_assert_eq!(ats.len(), walls.len());
        let mut last: Option<Hlc> = None;
        let mut prev_at = i64::MIN;
        for (i, at) in ats.iter().enumerate() {
            prop_assert!(*at >= ENROLLED - CLOCK_TOLERANCE_MS);
            prop_assert!(*at <= recv + CLOCK_TOLERANCE_MS);
            prop_assert!(*at >= prev_at);
            prev_at = *at;
            let mut sorted = hlcs.clone();
            sorted.sort_unstable();
            let c = effective_clock(Hlc(sorted[i]), *at, last);
            prop_assert!(last.is_none_or(|l| c > l));
            let ahead = c.millis() as i64 - at;
            prop_assert!(ahead.abs() <= CLOCK_TOLERANCE_MS + 1, "clock {} ms from its time", ahead);
            last = Some(c);
        }
    }
}
