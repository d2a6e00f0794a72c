//! The project's chores, run as `cargo xtask <command>` (an alias in .cargo/config.toml):
//!
//! - `cargo xtask serve`: install what is missing, then serve the playground at http://127.0.0.1:8080.
//! - `cargo xtask test`: install what is missing, then run every check in order (see [`steps::STEPS`]).
//! - `cargo xtask mutants`: cargo-mutants over the core's protocol files, and the score (see [`mutants`]).
//!
//! Standard library only, so it compiles in seconds on a fresh machine. Unix only (Debian is the target).

mod bundle;
mod mutants;
mod sh;
mod steps;
mod tools;

use std::env;
use std::process::ExitCode;

use sh::{Ctx, Result};
use tools::Tool;

/// What `serve` needs: Trunk builds the wasm with cargo, wasm-bindgen and (in release builds) wasm-opt,
/// which comes from npm (hence Node).
const SERVE_NEEDS: &[Tool] = &[Tool::WasmTarget, Tool::Node, Tool::WasmOpt, Tool::WasmBindgen, Tool::Trunk];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: FAILED: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Dispatches on the first argument.
fn run(args: &[String]) -> Result {
    let Some((command, rest)) = args.split_first() else {
        print_usage();
        return Err("no command given".into());
    };
    match command.as_str() {
        "serve" => serve(rest),
        "test" => test(rest),
        "mutants" => mutants::run(rest),
        "help" | "-h" | "--help" => {
            print_usage();
            Ok(())
        }
        other => {
            print_usage();
            Err(format!("unknown command `{other}`"))
        }
    }
}

fn print_usage() {
    println!(
        "Usage:
  cargo xtask serve [-- TRUNK_ARGS…]   install what is missing, then `trunk serve` on http://127.0.0.1:8080
  cargo xtask test [--only A,B] [--skip A,B]
                                       install what is missing, then run the checks in order, stopping at
                                       the first failure
  cargo xtask mutants [--file GLOB]… [--shard K/N] [-- ARGS…]
                                       cargo-mutants over the core's protocol files (.cargo/mutants.toml):
                                       prints the mutation score and the mutants no test caught
Steps of `test`, in order: {}
Environment: XTASK_SKIP=A,B skips steps too (each skipped step is announced loudly).",
        steps::step_names()
    );
}

/// `cargo xtask test [--only a,b] [--skip a,b]`.
fn test(args: &[String]) -> Result {
    let mut selection =
        steps::Selection { skip_env: split_list(&env::var("XTASK_SKIP").unwrap_or_default()), ..Default::default() };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        // Both `--only a,b` and `--only=a,b`.
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (arg.as_str(), None),
        };
        let mut value =
            || inline_value.clone().or_else(|| args.next().cloned()).ok_or(format!("`{flag}` needs a value"));
        match flag {
            "--only" => selection.only.get_or_insert_with(Vec::new).extend(split_list(&value()?)),
            "--skip" => selection.skip.extend(split_list(&value()?)),
            _ => return Err(format!("unknown argument `{arg}` (see `cargo xtask help`)")),
        }
    }
    let ctx = Ctx::new()?;
    steps::run(&ctx, &selection)
}

/// `"a, b,,c"` → `["a", "b", "c"]`.
fn split_list(list: &str) -> Vec<String> {
    list.split(',').map(str::trim).filter(|name| !name.is_empty()).map(str::to_string).collect()
}

/// `cargo xtask serve [-- trunk args]`: installs what Trunk needs, then becomes `trunk serve`.
fn serve(args: &[String]) -> Result {
    let ctx = Ctx::new()?;
    tools::ensure_all(&ctx, SERVE_NEEDS)?;
    let extra: Vec<&str> = args.iter().map(String::as_str).skip_while(|arg| *arg == "--").collect();
    let mut argv = vec!["serve"];
    argv.extend(extra);
    let mut command = ctx.command("trunk", &argv);
    println!("$ {}", sh::show(&command));
    // Replace this process with Trunk, so that the PID that started `cargo xtask serve` (cargo
    // execs its `run` target too) is Trunk's own: killing it stops the server, leaving no orphan.
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    Err(format!("cannot start trunk: {error}"))
}
