//! The release bundle's sizes: each wasm, js and css file in dist/, raw and gzipped (`gzip -9`), and
//! the scenario files beside them (fetched on demand, so not in the total).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::sh::Result;

/// The kinds of file whose sizes are reported, in this order.
const KINDS: [&str; 3] = ["wasm", "js", "css"];

/// Prints a table of the bundle's wasm, js and css files with raw and gzipped sizes, and totals.
pub fn print_sizes(dist: &Path) -> Result {
    let mut files = Vec::new();
    collect_files(dist, &mut files).map_err(|e| format!("cannot list {}: {e}", dist.display()))?;
    files.sort();

    println!("\nxtask: bundle sizes ({}):", dist.display());
    println!("  {:<48} {:>12} {:>12}", "file", "raw", "gzip -9");
    let (mut total_raw, mut total_gzip) = (0, 0);
    for kind in KINDS {
        for file in files.iter().filter(|f| f.extension().is_some_and(|ext| ext == kind)) {
            let raw = fs::metadata(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?.len();
            let gzip = gzipped_len(file);
            total_raw += raw;
            total_gzip += gzip.unwrap_or(0);
            let name = file.strip_prefix(dist).unwrap_or(file).display().to_string();
            let gzip = gzip.map(kib).unwrap_or_else(|| "n/a".to_string());
            println!("  {name:<48} {:>12} {gzip:>12}", kib(raw));
        }
    }
    println!("  {:<48} {:>12} {:>12}", "total", kib(total_raw), kib(total_gzip));
    // Not in the total: the page fetches a scenario's file only when one is opened.
    let scenarios: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.parent() == Some(&dist.join("scenarios")) && f.extension().is_some_and(|ext| ext == "json"))
        .collect();
    if !scenarios.is_empty() {
        let raw: u64 = scenarios.iter().filter_map(|f| fs::metadata(f).ok()).map(|m| m.len()).sum();
        let gzip: u64 = scenarios.iter().filter_map(|f| gzipped_len(f)).sum();
        let name = format!("scenarios/*.json ({}, fetched on demand)", scenarios.len());
        println!("  {name:<48} {:>12} {:>12}", kib(raw), kib(gzip));
    }
    // Not in the total either: the page fetches the one catalogue of words it speaks.
    for file in files.iter().filter(|f| f.parent() == Some(&dist.join("lang"))) {
        let raw = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        let gzip = gzipped_len(file).map(kib).unwrap_or_else(|| "n/a".to_string());
        let name = format!("{} (words, fetched on demand)", file.strip_prefix(dist).unwrap_or(file).display());
        println!("  {name:<48} {:>12} {gzip:>12}", kib(raw));
    }
    Ok(())
}

/// All files under `dir`, recursively (wasm-bindgen puts JS snippets in a sub-folder).
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// The size of `gzip -9 -c file`, or `None` if gzip cannot run.
fn gzipped_len(file: &Path) -> Option<u64> {
    let output = Command::new("gzip").args(["-9", "-c"]).arg(file).stderr(Stdio::null()).output().ok()?;
    output.status.success().then_some(output.stdout.len() as u64)
}

/// `123456` → `"120.6 KiB"`.
fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}
