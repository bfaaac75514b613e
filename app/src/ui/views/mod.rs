//! One view per screen. The shell picks the view of the current [`Screen`](super::state::Screen); a new
//! screen for a role is a new variant there and a new file here.

pub mod disturbance;
pub mod enroll;
pub mod guard;
pub mod lists;
pub mod overview;
pub mod print;
pub mod report;
pub mod review;
pub mod runs;
pub mod settings;
pub mod shift;

pub use disturbance::DisturbanceView;
pub use enroll::EnrollView;
pub use guard::GuardHome;
pub use lists::AllReportsView;
pub use overview::OverviewMap;
pub use print::PrintPage;
pub use report::ReportView;
pub use review::ReviewView;
pub use runs::RunsView;
pub use settings::SettingsView;
pub use shift::ShiftView;
