//! The tools the steps need, and how to install each one when it is missing or at the wrong version.
//!
//! Versions follow shared/TOOLCHAIN.md. Every check runs the tool (`trunk --version`, …), so a warm
//! run costs a fraction of a second per tool and installs nothing.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use crate::sh::{Ctx, Result};

/// Trunk's version. 0.22.x needs a newer rustc than this project's toolchain.
pub const TRUNK_VERSION: &str = "0.21.14";
/// wasm-bindgen-cli's version: must equal the `wasm-bindgen` crate pinned in web/Cargo.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// binaryen's version, installed from npm by tools/package.json (Trunk.toml pins `version_132`).
pub const WASM_OPT_VERSION: &str = "132";
/// The lowest Node.js major version that playwright-core supports.
pub const NODE_MIN_MAJOR: u32 = 20;
/// cargo-mutants' version, for `cargo xtask mutants`.
pub const CARGO_MUTANTS_VERSION: &str = "27.1.0";
/// The toolchain that builds the release wasm (and only that): a dated nightly, because only nightly can
/// rebuild the standard library with `-Cpanic=immediate-abort`, which drops every panic's message and
/// location from the wasm (22.7 KB gzipped of 289.8; BENCHMARKS.md, "Bundle size"). Everything else,
/// the wasm tests included, builds with the stable toolchain.
pub const WASM_NIGHTLY: &str = "nightly-2026-05-20";
/// Debian's Chromium: the browser for the wasm tests and the end-to-end tests.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Something a step needs on the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// `cargo fmt` and `cargo clippy` (rustup components `rustfmt`, `clippy`).
    RustComponents,
    /// The rustup target `wasm32-unknown-unknown`.
    WasmTarget,
    /// The rustup target `thumbv7em-none-eabihf` (the `no_std` proof).
    ThumbTarget,
    /// Debian's `chromium` and `chromium-driver`, at the same major version, and its CJK fonts
    /// (`fonts-noto-cjk`).
    Chromium,
    /// Node.js and npm.
    Node,
    /// `wasm-opt` from npm's binaryen, in tools/node_modules.
    WasmOpt,
    /// e2e/node_modules (playwright-core).
    E2eDeps,
    /// `wasm-bindgen` and `wasm-bindgen-test-runner` from wasm-bindgen-cli.
    WasmBindgen,
    /// Trunk.
    Trunk,
    /// [`WASM_NIGHTLY`] with `rust-src` and the wasm32 target (the release build's compiler).
    WasmNightly,
    /// cargo-mutants (only `cargo xtask mutants` needs it).
    CargoMutants,
}

impl Tool {
    /// Every tool, in the order they get installed (quick ones first, and Node before npm packages).
    pub const ALL: [Tool; 11] = [
        Tool::RustComponents,
        Tool::WasmTarget,
        Tool::ThumbTarget,
        Tool::Chromium,
        Tool::Node,
        Tool::WasmOpt,
        Tool::E2eDeps,
        Tool::WasmBindgen,
        Tool::Trunk,
        Tool::WasmNightly,
        Tool::CargoMutants,
    ];

    /// Checks this tool and installs it if it is missing or at the wrong version.
    /// Returns a short description of what is in place, for the summary line.
    pub fn ensure(self, ctx: &Ctx) -> Result<String> {
        match self {
            Tool::RustComponents => ensure_rust_components(ctx),
            Tool::WasmTarget => ensure_target(ctx, "wasm32-unknown-unknown"),
            Tool::ThumbTarget => ensure_target(ctx, "thumbv7em-none-eabihf"),
            Tool::Chromium => ensure_chromium(ctx),
            Tool::Node => ensure_node(ctx),
            Tool::WasmOpt => ensure_wasm_opt(ctx),
            Tool::E2eDeps => ensure_npm_folder(ctx, "e2e").map(|()| "e2e/node_modules".to_string()),
            Tool::WasmBindgen => ensure_wasm_bindgen(ctx),
            Tool::Trunk => ensure_trunk(ctx),
            Tool::WasmNightly => ensure_wasm_nightly(ctx),
            Tool::CargoMutants => ensure_cargo_mutants(ctx),
        }
    }
}

/// Installs (if needed) every tool in `needed`, in [`Tool::ALL`]'s order, and prints one line about them.
pub fn ensure_all(ctx: &Ctx, needed: &[Tool]) -> Result {
    let mut present = Vec::new();
    for tool in Tool::ALL.into_iter().filter(|tool| needed.contains(tool)) {
        present.push(tool.ensure(ctx)?);
    }
    if !present.is_empty() {
        println!("xtask: tools ready: {}", present.join(", "));
    }
    Ok(())
}

/// Says what is being installed and why, so a long install is no mystery.
fn announce(what: &str, why: &str) {
    println!("xtask: installing {what}: {why}");
}

fn ensure_rust_components(ctx: &Ctx) -> Result<String> {
    let fmt = ctx.output("cargo", &["fmt", "--version"]);
    let clippy = ctx.output("cargo", &["clippy", "--version"]);
    if fmt.is_none() || clippy.is_none() {
        announce("rustfmt and clippy", "`cargo fmt` or `cargo clippy` is not available");
        ctx.run("rustup", &["component", "add", "rustfmt", "clippy"])?;
    }
    Ok("rustfmt+clippy".to_string())
}

fn ensure_target(ctx: &Ctx, target: &str) -> Result<String> {
    let installed = ctx
        .output("rustup", &["target", "list", "--installed"])
        .ok_or("`rustup target list --installed` failed: this project needs a rustup-managed toolchain")?;
    if !installed.lines().any(|line| line.trim() == target) {
        announce(&format!("the Rust target {target}"), "it is not installed");
        ctx.run("rustup", &["target", "add", target])?;
    }
    Ok(target.to_string())
}

fn ensure_wasm_nightly(ctx: &Ctx) -> Result<String> {
    let sysroot = ctx.output("rustup", &["run", WASM_NIGHTLY, "rustc", "--print", "sysroot"]);
    let complete = sysroot
        .as_deref()
        .map(|root| Path::new(root.trim()).join("lib/rustlib"))
        .is_some_and(|lib| lib.join("src/rust/library/std").is_dir() && lib.join("wasm32-unknown-unknown").is_dir());
    if !complete {
        announce(
            &format!("{WASM_NIGHTLY} with rust-src and wasm32-unknown-unknown (~1 min)"),
            "the release wasm is built with it (crates/xtask/src/tools.rs says why)",
        );
        let (components, targets) = (["--component", "rust-src"], ["--target", "wasm32-unknown-unknown"]);
        let mut args = vec!["toolchain", "install", WASM_NIGHTLY, "--profile", "minimal"];
        args.extend(components.iter().chain(&targets));
        ctx.run("rustup", &args)?;
    }
    Ok(WASM_NIGHTLY.to_string())
}

/// The version `program --version` prints (the first word that starts with a digit), if it runs.
fn version_of(ctx: &Ctx, program: &str) -> Option<String> {
    let output = ctx.output(program, &["--version"])?;
    output.split_whitespace().find(|word| word.starts_with(|c: char| c.is_ascii_digit())).map(str::to_string)
}

/// Why a tool at `found` is not good enough, for the install message.
fn why_not(program: &str, found: Option<&str>, wanted: &str) -> String {
    match found {
        None => format!("`{program}` is not on PATH"),
        Some(found) => format!("`{program} --version` says {found}, this project needs {wanted}"),
    }
}

fn ensure_trunk(ctx: &Ctx) -> Result<String> {
    let found = version_of(ctx, "trunk");
    if found.as_deref() != Some(TRUNK_VERSION) {
        announce(
            &format!("trunk {TRUNK_VERSION} (cargo install, ~8 min)"),
            &why_not("trunk", found.as_deref(), TRUNK_VERSION),
        );
        ctx.run("cargo", &["install", "--locked", "trunk", "--version", TRUNK_VERSION])?;
        check_now("trunk", TRUNK_VERSION, ctx)?;
    }
    Ok(format!("trunk {TRUNK_VERSION}"))
}

fn ensure_cargo_mutants(ctx: &Ctx) -> Result<String> {
    // `cargo mutants --version` prints "cargo-mutants 27.1.0".
    let found =
        ctx.output("cargo", &["mutants", "--version"]).and_then(|v| v.split_whitespace().nth(1).map(String::from));
    if found.as_deref() != Some(CARGO_MUTANTS_VERSION) {
        announce(
            &format!("cargo-mutants {CARGO_MUTANTS_VERSION} (cargo install, ~4 min)"),
            &why_not("cargo-mutants", found.as_deref(), CARGO_MUTANTS_VERSION),
        );
        ctx.run("cargo", &["install", "--locked", "cargo-mutants", "--version", CARGO_MUTANTS_VERSION])?;
    }
    Ok(format!("cargo-mutants {CARGO_MUTANTS_VERSION}"))
}

fn ensure_wasm_bindgen(ctx: &Ctx) -> Result<String> {
    let bindgen = version_of(ctx, "wasm-bindgen");
    let runner = version_of(ctx, "wasm-bindgen-test-runner");
    let wanted = Some(WASM_BINDGEN_VERSION);
    if bindgen.as_deref() != wanted || runner.as_deref() != wanted {
        let why = if bindgen.as_deref() != wanted {
            why_not("wasm-bindgen", bindgen.as_deref(), WASM_BINDGEN_VERSION)
        } else {
            why_not("wasm-bindgen-test-runner", runner.as_deref(), WASM_BINDGEN_VERSION)
        };
        announce(&format!("wasm-bindgen-cli {WASM_BINDGEN_VERSION} (cargo install, ~2.5 min)"), &why);
        // Without --locked: the crate's own lockfile asks for a webpki-roots release the registry lacks.
        ctx.run("cargo", &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION])?;
        check_now("wasm-bindgen", WASM_BINDGEN_VERSION, ctx)?;
        check_now("wasm-bindgen-test-runner", WASM_BINDGEN_VERSION, ctx)?;
    }
    Ok(format!("wasm-bindgen {WASM_BINDGEN_VERSION}"))
}

/// After an install: fails if `program` on PATH is still not at `wanted` (another copy shadowing it?).
fn check_now(program: &str, wanted: &str, ctx: &Ctx) -> Result {
    let found = version_of(ctx, program);
    if found.as_deref() == Some(wanted) {
        return Ok(());
    }
    let location = ctx.which(program).map(|p| p.display().to_string()).unwrap_or_else(|| "nowhere".to_string());
    Err(format!("after installing, {} (found at {location})", why_not(program, found.as_deref(), wanted)))
}

fn ensure_wasm_opt(ctx: &Ctx) -> Result<String> {
    ensure_npm_folder(ctx, "tools")?;
    let wasm_opt = ctx.root.join("tools/node_modules/.bin/wasm-opt");
    let found = ctx.output(&wasm_opt.to_string_lossy(), &["--version"]);
    // It prints "wasm-opt version 132 (version_132)".
    let wanted = format!("version {WASM_OPT_VERSION} ");
    match found {
        Some(text) if text.contains(&wanted) => Ok(format!("wasm-opt {WASM_OPT_VERSION}")),
        found => Err(format!(
            "{} prints {:?}, expected \"wasm-opt {wanted}…\": check binaryen's version in tools/package.json",
            wasm_opt.display(),
            found.unwrap_or_default()
        )),
    }
}

/// Runs `npm ci` in `folder` unless its node_modules is newer than its package-lock.json.
fn ensure_npm_folder(ctx: &Ctx, folder: &str) -> Result {
    let dir = ctx.root.join(folder);
    // npm writes node_modules/.package-lock.json at every install.
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    let locked = modified(&dir.join("package-lock.json"));
    let why = match (installed, locked) {
        (_, None) => return Err(format!("{folder}/package-lock.json is missing")),
        (None, _) => format!("{folder}/node_modules is missing"),
        (Some(installed), Some(locked)) if installed < locked => {
            format!("{folder}/package-lock.json is newer than {folder}/node_modules")
        }
        _ => return Ok(()),
    };
    announce(&format!("{folder}/node_modules (npm ci)"), &why);
    let mut npm = ctx.command("npm", &["ci", "--no-audit", "--no-fund"]);
    npm.current_dir(&dir);
    ctx.run_command(npm)
}

/// When `file` was last modified, if it exists.
fn modified(file: &Path) -> Option<SystemTime> {
    fs::metadata(file).and_then(|meta| meta.modified()).ok()
}

fn ensure_node(ctx: &Ctx) -> Result<String> {
    if ctx.which("node").is_none() || ctx.which("npm").is_none() {
        apt_install(ctx, &["nodejs", "npm"], "`node` or `npm` is not on PATH")?;
    }
    // It prints "v20.20.2".
    let version = ctx.output("node", &["--version"]).unwrap_or_default();
    let major = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(major) if major >= NODE_MIN_MAJOR => Ok(format!("node {}", version.trim_start_matches('v'))),
        _ => Err(format!(
            "`node --version` says {version:?}; the end-to-end tests need Node.js {NODE_MIN_MAJOR} or newer"
        )),
    }
}

/// A font Debian's `fonts-noto-cjk` installs: headless Chromium on a bare Debian machine has no font
/// for Chinese, and the page's 简体中文 would render as boxes (TOOLCHAIN.md, Fonts).
const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Debian's Noto CJK fonts, for the browser to draw the page's Chinese with.
fn ensure_cjk_font(ctx: &Ctx) -> Result {
    if std::path::Path::new(CJK_FONT).is_file() {
        return Ok(());
    }
    apt_install(ctx, &["fonts-noto-cjk"], &format!("{CJK_FONT} is missing (no font for Chinese)"))
}

fn ensure_chromium(ctx: &Ctx) -> Result<String> {
    ensure_cjk_font(ctx)?;
    let major = |program: &str| {
        let version = version_of(ctx, program)?;
        version.split('.').next().map(str::to_string)
    };
    let browser = major(CHROMIUM);
    let driver = major("chromedriver");
    let why = match (&browser, &driver) {
        (None, _) => format!("`{CHROMIUM} --version` did not run"),
        (_, None) => "`chromedriver` is not on PATH".to_string(),
        (Some(b), Some(d)) if b != d => format!("Chromium {b} and ChromeDriver {d} differ"),
        (Some(b), _) => return Ok(format!("chromium {b}")),
    };
    apt_install(ctx, &["chromium", "chromium-driver"], &why)?;
    match (major(CHROMIUM), major("chromedriver")) {
        (Some(b), Some(d)) if b == d => Ok(format!("chromium {b}")),
        (b, d) => Err(format!("after installing, Chromium is {b:?} and ChromeDriver is {d:?}")),
    }
}

/// Installs Debian packages with apt-get: directly as root, else through `sudo -n`, else fails
/// with a message telling what to install.
fn apt_install(ctx: &Ctx, packages: &[&str], why: &str) -> Result {
    let list = packages.join(" ");
    announce(&format!("{list} (apt-get)"), why);
    let is_root = ctx.output("id", &["-u"]).as_deref() == Some("0");
    let prefix: &[&str] = if is_root {
        &[]
    } else if ctx.command("sudo", &["-n", "true"]).output().is_ok_and(|out| out.status.success()) {
        &["sudo", "-n"]
    } else {
        return Err(format!(
            "cannot install {list}: not root and no password-less sudo. Install them yourself:\n  \
             sudo apt-get update && sudo apt-get install -y {list}"
        ));
    };
    if ctx.which("apt-get").is_none() {
        return Err(format!("cannot install {list}: no apt-get here (this project expects Debian)"));
    }
    let apt = |args: &[&str]| {
        // `env` carries DEBIAN_FRONTEND through sudo.
        let mut argv = prefix.to_vec();
        argv.extend(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        argv.extend(args);
        ctx.run(argv[0], &argv[1..])
    };
    if !ctx.apt_updated.get() {
        apt(&["update"])?;
        ctx.apt_updated.set(true);
    }
    let mut args = vec!["install", "-y"];
    args.extend(packages);
    apt(&args)
}
