//! `cargo xtask test`: the list of steps, and running them in order until the first failure.
//!
//! To add a check, add a [`Step`] to [`STEPS`]: a name (for `--only` / `XTASK_SKIP`), a line saying
//! what it proves, the tools it needs, and either the commands to run or a function.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::bundle;
use crate::sh::{Ctx, Result};
use crate::tools::{self, CHROMIUM, Tool, WASM_NIGHTLY};

/// One check of `cargo xtask test`.
pub struct Step {
    /// Short name, used by `--only`, `--skip` and `XTASK_SKIP`.
    pub name: &'static str,
    /// What the step proves, one line.
    pub about: &'static str,
    /// Tools to install (if missing) before any step runs.
    pub needs: &'static [Tool],
    /// What the step does.
    pub action: Action,
}

/// What a [`Step`] does.
pub enum Action {
    /// Programs with their arguments, run in order from the repository root; the first failure fails the step.
    Commands(&'static [&'static [&'static str]]),
    /// Anything more involved.
    Custom(fn(&Ctx) -> Result),
}

/// Every step of `cargo xtask test`, in the order they run.
pub const STEPS: &[Step] = &[
    Step {
        name: "fmt",
        about: "code is formatted (rustfmt.toml)",
        needs: &[Tool::RustComponents],
        action: Action::Commands(&[&["cargo", "fmt", "--all", "--", "--check"]]),
    },
    Step {
        name: "clippy",
        about: "no compiler or clippy warnings in any crate, target or feature",
        needs: &[Tool::RustComponents],
        action: Action::Commands(&[&[
            "cargo",
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]]),
    },
    Step {
        name: "native-test",
        about: "unit, integration and doc tests of every crate, natively (release: the planted-bug sweep and the model check are heavy)",
        needs: &[],
        action: Action::Commands(&[&["cargo", "test", "--workspace", "--all-features", "--release"]]),
    },
    Step {
        name: "no-std",
        about: "paxos-core builds for a bare-metal target (no_std + alloc), with and without planted bugs",
        needs: &[Tool::ThumbTarget],
        action: Action::Commands(&[
            &["cargo", "build", "-p", "paxos-core", "--target", "thumbv7em-none-eabihf"],
            &["cargo", "build", "-p", "paxos-core", "--target", "thumbv7em-none-eabihf", "--features", "planted-bugs"],
        ]),
    },
    Step {
        name: "sweep",
        about: "the simulator's checkers pass on 2000 random seeds",
        needs: &[],
        action: Action::Commands(&[&[
            "cargo",
            "run",
            "--release",
            "-p",
            "paxos-cli",
            "--",
            "sweep",
            "--seeds",
            "2000",
        ]]),
    },
    Step {
        name: "wasm-test",
        about: "wasm-bindgen tests in headless Chromium",
        needs: &[Tool::WasmTarget, Tool::WasmBindgen, Tool::Chromium],
        action: Action::Custom(wasm_tests),
    },
    Step {
        name: "build",
        about: "the release bundle builds (trunk build --release); prints its sizes",
        needs: &[Tool::WasmTarget, Tool::Node, Tool::WasmOpt, Tool::WasmBindgen, Tool::Trunk, Tool::WasmNightly],
        action: Action::Custom(release_build),
    },
    Step {
        name: "e2e",
        about: "Playwright journeys against the release dist/ in Chromium",
        needs: &[Tool::Node, Tool::E2eDeps, Tool::Chromium],
        action: Action::Custom(end_to_end),
    },
];

/// The crates whose tests also run in the browser, each as `cargo test -p <crate> --target wasm32-unknown-unknown`
/// with the extra arguments given. (`--workspace` with that target would silently skip plain `#[test]`s
/// elsewhere; see TOOLCHAIN.md.) The simulator's run in release, with their output shown: they include the
/// browser benchmark, whose figures go into BENCHMARKS.md.
const WASM_TEST_CRATES: &[(&str, &[&str])] = &[("paxos-sim", &["--release", "--", "--nocapture"]), ("paxos-web", &[])];

fn wasm_tests(ctx: &Ctx) -> Result {
    for (krate, extra) in WASM_TEST_CRATES {
        let mut args = vec!["test", "-p", krate, "--target", "wasm32-unknown-unknown"];
        args.extend_from_slice(extra);
        let mut command = ctx.command("cargo", &args);
        // Name the driver explicitly, so a geckodriver elsewhere on PATH cannot win.
        if let Some(driver) = ctx.which("chromedriver") {
            command.env("CHROMEDRIVER", driver);
        }
        ctx.run_command(command)?;
    }
    Ok(())
}

fn release_build(ctx: &Ctx) -> Result {
    // `trunk build --offline` passes --offline to cargo, and makes a tool-version mismatch an error
    // instead of a download attempt; so fetch the crates first.
    ctx.run("cargo", &["fetch", "--locked"])?;
    // The wasm is built by a nightly that rebuilds the standard library with panics that trap at once
    // (no message, no location: see tools::WASM_NIGHTLY) and its smaller variants of sorting and
    // formatting (`optimize_for_size`: 4.3 KB gzipped less); that standard library's crates are
    // fetched too.
    let wasm_toolchain = |mut command: Command| {
        command.env("RUSTUP_TOOLCHAIN", WASM_NIGHTLY).env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort");
        command.env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size");
        command.env("RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort");
        command
    };
    let fetch_std = ["fetch", "--locked", "--target", "wasm32-unknown-unknown"];
    ctx.run_command(wasm_toolchain(ctx.command("cargo", &fetch_std)))?;
    ctx.run_command(wasm_toolchain(ctx.command("trunk", &["build", "--release", "--offline"])))?;
    bundle::print_sizes(&ctx.root.join("dist"))
}

fn end_to_end(ctx: &Ctx) -> Result {
    let dist = ctx.root.join("dist");
    if !dist.join("index.html").is_file() {
        return Err("dist/index.html is missing: the `build` step (trunk build --release) must run first".into());
    }
    // Screenshots and other artifacts of this run only.
    let artifacts = ctx.root.join("e2e/artifacts");
    let _ = fs::remove_dir_all(&artifacts);
    fs::create_dir_all(&artifacts).map_err(|e| format!("cannot create {}: {e}", artifacts.display()))?;

    let mut command = ctx.command("node", &["--test", "e2e/"]);
    command.env("E2E_DIST", &dist).env("E2E_CHROMIUM", CHROMIUM).env("E2E_ARTIFACTS", &artifacts);
    ctx.run_command(command)
}

/// The skip reason of a step that `--only` leaves out.
const NOT_IN_ONLY: &str = "not in --only";

/// Which steps to run: the command line's `--only`/`--skip` and the `XTASK_SKIP` variable.
#[derive(Default)]
pub struct Selection {
    /// `--only a,b`: run only these (all when `None`).
    pub only: Option<Vec<String>>,
    /// `--skip a,b`.
    pub skip: Vec<String>,
    /// `XTASK_SKIP=a,b`.
    pub skip_env: Vec<String>,
}

impl Selection {
    /// Fails on a step name that does not exist, listing the ones that do.
    fn check_names(&self) -> Result {
        let all_names = self.only.iter().flatten().chain(&self.skip).chain(&self.skip_env);
        for name in all_names {
            if !STEPS.iter().any(|step| step.name == name) {
                return Err(format!("no step named `{name}`; the steps are: {}", step_names()));
            }
        }
        Ok(())
    }

    /// Why `step` is not to run, or `None` if it is.
    fn skip_reason(&self, step: &Step) -> Option<&'static str> {
        let named = |names: &[String]| names.iter().any(|name| name == step.name);
        if named(&self.skip_env) {
            Some("XTASK_SKIP")
        } else if named(&self.skip) {
            Some("--skip")
        } else if self.only.as_deref().is_some_and(|only| !named(only)) {
            Some(NOT_IN_ONLY)
        } else {
            None
        }
    }
}

/// All step names, comma-separated.
pub fn step_names() -> String {
    STEPS.iter().map(|step| step.name).collect::<Vec<_>>().join(", ")
}

/// How a step ended.
enum Outcome {
    Passed(Duration),
    Skipped(&'static str),
}

/// Installs what the selected steps need, then runs them in order, stopping at the first failure.
pub fn run(ctx: &Ctx, selection: &Selection) -> Result {
    selection.check_names()?;
    let started = Instant::now();

    let mut needed: Vec<Tool> = Vec::new();
    for step in STEPS.iter().filter(|step| selection.skip_reason(step).is_none()) {
        needed.extend(step.needs);
    }
    tools::ensure_all(ctx, &needed).map_err(|e| format!("installing tools failed: {e}"))?;

    let mut outcomes: Vec<(&Step, Outcome)> = Vec::new();
    for (index, step) in STEPS.iter().enumerate() {
        let number = format!("[{}/{}]", index + 1, STEPS.len());
        if let Some(reason) = selection.skip_reason(step) {
            print_skip_banner(&number, step, reason);
            outcomes.push((step, Outcome::Skipped(reason)));
            continue;
        }
        println!("\n==> {number} {}: {}", step.name, step.about);
        let step_started = Instant::now();
        let result = match &step.action {
            Action::Commands(commands) => commands.iter().try_for_each(|argv| ctx.run(argv[0], &argv[1..])),
            Action::Custom(function) => function(ctx),
        };
        if let Err(error) = result {
            print_summary(&outcomes, Some(step), started.elapsed());
            return Err(format!("step `{}` FAILED: {error}", step.name));
        }
        println!("==> {number} {}: ok ({:.1} s)", step.name, step_started.elapsed().as_secs_f64());
        outcomes.push((step, Outcome::Passed(step_started.elapsed())));
    }
    print_summary(&outcomes, None, started.elapsed());
    Ok(())
}

/// Announces a skipped step. One left out by `--only` gets a line; one skipped by name (`XTASK_SKIP`,
/// `--skip`) must not go unnoticed, so it gets a box of exclamation marks.
fn print_skip_banner(number: &str, step: &Step, reason: &str) {
    if reason == NOT_IN_ONLY {
        println!("\n--- {number} SKIPPED `{}` ({reason})", step.name);
    } else {
        let line = "!".repeat(78);
        println!("\n{line}\n!!! {number} SKIPPED `{}` ({reason}): NOT checked: {}\n{line}", step.name, step.about);
    }
}

/// Prints one line per step, then the closing "N passed, N failed, N skipped" line.
fn print_summary(outcomes: &[(&Step, Outcome)], failed: Option<&Step>, elapsed: Duration) {
    println!("\nxtask: summary ({:.0} s)", elapsed.as_secs_f64());
    let (mut passed, mut skipped) = (0, 0);
    for (step, outcome) in outcomes {
        match outcome {
            Outcome::Passed(took) => {
                passed += 1;
                println!("  {:<12} ok        {:>6.1} s", step.name, took.as_secs_f64());
            }
            Outcome::Skipped(reason) => {
                skipped += 1;
                println!("  {:<12} SKIPPED   ({reason})", step.name);
            }
        }
    }
    if let Some(step) = failed {
        println!("  {:<12} FAILED", step.name);
        let not_run: Vec<&str> = STEPS.iter().skip(outcomes.len() + 1).map(|step| step.name).collect();
        if !not_run.is_empty() {
            println!("  not run:     {}", not_run.join(", "));
        }
    }
    let failed = usize::from(failed.is_some());
    println!("xtask: {passed} passed, {failed} failed, {skipped} skipped");
}
