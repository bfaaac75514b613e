//! `torgkoll-photos-out`: writes the photo benchmark's photos (`torgkoll_e2e::photos::photo`, the same
//! seeds as `torgkoll-photo-bench`) as JPEG files `000.jpg`, `001.jpg`… into a directory, for other
//! programs to send (`tests/pouchdb/photos.js`).

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Where to write the photos (created if missing).
    #[arg(long)]
    dir: PathBuf,
    #[arg(long, default_value_t = 200)]
    count: usize,
    /// The photo benchmark's seed: photo k is `photo(seed * 1000 + k)`.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

fn main() -> std::process::ExitCode {
    let a = Args::parse();
    let run = || -> torgkoll_e2e::Res<u64> {
        std::fs::create_dir_all(&a.dir)?;
        let mut total = 0;
        for k in 0..a.count {
            let p = torgkoll_e2e::photos::photo(a.seed.wrapping_mul(1_000).wrapping_add(k as u64))?;
            std::fs::write(a.dir.join(format!("{k:03}.jpg")), &p.bytes)?;
            total += p.bytes.len() as u64;
        }
        Ok(total)
    };
    match run() {
        Ok(total) => {
            println!("{} photos, {total} B in {}", a.count, a.dir.display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("torgkoll-photos-out: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
