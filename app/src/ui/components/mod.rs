//! Presentational pieces shared by the screens.

pub mod already_reported;
pub mod amend_sheet;
pub mod bars;
pub mod category_grid;
pub mod counter;
pub mod field_filter;
pub mod history;
pub mod incident_fields;
pub mod map;
pub mod map_layers;
pub mod note_input;
pub mod pins;
pub mod report_list;
pub mod report_sheet;
pub mod review;
pub mod tabs;
pub mod toast;
pub mod when_picker;

pub use already_reported::AlreadyReported;
pub use amend_sheet::AmendSheet;
pub use bars::{RunBanner, SyncBar};
pub use category_grid::CategoryGrid;
pub use counter::Counter;
pub use field_filter::FieldFilterChips;
pub use history::ReportHistory;
pub use incident_fields::{Incident, IncidentEditor};
pub use map::{MapTap, Pin, SiteMap};
pub use note_input::NoteInput;
pub use report_list::ReportList;
pub use report_sheet::ReportSheet;
pub use tabs::Tabs;
pub use toast::ToastBar;
pub use when_picker::{When, WhenPicker};
