//! One view per screen. The shell picks the view of the current [`Screen`](super::state::Screen); a new
//! screen for a role is a new variant there and a new file here.

pub mod disturbance;
pub mod enroll;
pub mod guard;
pub mod lists;
pub mod overview;
pub mod report;
pub mod review;
pub mod runs;
pub mod settings;

pub use disturbance::DisturbanceView;
pub use enroll::EnrollView;
pub use guard::GuardHome;
pub use lists::{AllReportsView, MineView};
pub use overview::OverviewMap;
pub use report::ReportView;
pub use review::ReviewView;
pub use runs::RunsView;
pub use settings::SettingsView;
