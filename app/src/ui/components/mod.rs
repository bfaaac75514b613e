//! Presentational pieces shared by the screens.

pub mod bars;
pub mod category_grid;
pub mod counter;
pub mod details_sheet;
pub mod map;
pub mod map_layers;
pub mod pins;
pub mod report_list;
pub mod report_sheet;
pub mod review;
pub mod tabs;
pub mod theme_setting;
pub mod toast;

pub use bars::{RunBanner, SyncBar};
pub use category_grid::CategoryGrid;
pub use counter::Counter;
pub use details_sheet::DetailsSheet;
pub use map::{MapTap, Pin, SiteMap};
pub use report_list::ReportList;
pub use report_sheet::ReportSheet;
pub use tabs::Tabs;
pub use theme_setting::ThemeSetting;
pub use toast::ToastBar;
