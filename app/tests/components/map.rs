//! The map: the plan lies horizontal, zoom and pan keep places under the finger, a drag is not a tap.

use torgkoll_app::ui::state::{MapView, SitePlan};
use torgkoll_shared::Role;
use torgkoll_shared::test_support::plattan;

use crate::harness::Ui;

#[test]
fn the_plan_is_wider_than_tall_and_has_every_zone() {
    let site = plattan();
    let plan = SitePlan::of(&site);
    let (x0, y0, x1, y1) = plan.bounds;
    assert!(x1 - x0 > y1 - y0, "the plaza lies horizontal");
    assert_eq!(plan.zones.len(), 8);
    for name in ["T-bana", "Trygghetskontoret", "Trappan", "Kulturhuset"] {
        assert!(
            plan.landmarks.iter().any(|l| l.short == name),
            "landmark {name}"
        );
    }
    assert!(plan.attribution.contains("OpenStreetMap"));
}

#[test]
fn zooming_keeps_the_point_under_the_cursor_and_round_trips() {
    let site = plattan();
    let plan = SitePlan::of(&site);
    let mut v = MapView::new(400.0, 300.0);
    let p = site.frame.from_view(geo::Coord { x: 12.0, y: -7.0 });
    let before = v.geo_to_screen(&site, &plan, p);
    v.zoom_at(&plan, 3.0, before);
    let after = v.geo_to_screen(&site, &plan, p);
    assert!((before.0 - after.0).abs() < 1e-6 && (before.1 - after.1).abs() < 1e-6);
    v.pan_by(25.0, -10.0);
    let moved = v.geo_to_screen(&site, &plan, p);
    assert!((moved.0 - after.0 - 25.0).abs() < 1e-6);
    let back = v.screen_to_geo(&site, &plan, moved);
    assert!((back.lon - p.lon).abs() < 1e-9 && (back.lat - p.lat).abs() < 1e-9);
    v.zoom_at(&plan, 100.0, (0.0, 0.0));
    assert_eq!(v.zoom, torgkoll_app::ui::state::map_view::MAX_ZOOM);
}

#[test]
fn a_drag_pans_and_is_not_a_tap_and_the_buttons_zoom() {
    let mut ui = Ui::new(Some(Role::Cleaner));
    let before = ui.html();
    ui.drag((200.0, 200.0), (260.0, 230.0));
    assert!(ui.ops().is_empty());
    assert!(!ui.has("spot-marker"), "a drag chooses no spot");
    let after_drag = ui.html();
    assert_ne!(before, after_drag, "the plan moved");
    ui.click("zoom-in");
    assert_ne!(after_drag, ui.html());
    ui.click("zoom-reset");
    assert_eq!(before, ui.html(), "back to the whole site");
}
