//! End-to-end tools for Torgkoll's sync: a real server process, simulated phones built from the app's
//! real store and sync code, a fault-injecting TCP proxy, the fleet simulator and the sync benchmark.

pub mod audit;
pub mod bench;
pub mod fleet;
pub mod fleet_live;
pub mod fleet_pg;
pub mod fleet_phases;
pub mod fleet_photos;
pub mod fleet_probe;
pub mod fleet_restore;
pub mod fleet_result;
pub mod http_frame;
pub mod pg;
pub mod phone;
pub mod photo_bench;
pub mod photos;
pub mod proxy;
pub mod rig;
pub mod server;
pub mod workload;
pub mod year_pull;

/// Errors of the tools: anything, with a message.
pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;
