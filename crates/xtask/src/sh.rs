//! Running programs: the shared context (repository root, environment) and small helpers.

use std::cell::Cell;
use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a step or an install returns: `Err` carries a message for the user.
pub type Result<T = ()> = std::result::Result<T, String>;

/// Everything a command needs: where the repository is and the environment to run programs in.
pub struct Ctx {
    /// The repository root (the folder with the workspace `Cargo.toml`); every command runs here.
    pub root: PathBuf,
    /// The `PATH` for child processes: the pinned tools first, then cargo's bin folder, then the user's.
    path: OsString,
    /// Further environment variables for every child process.
    envs: Vec<(&'static str, OsString)>,
    /// Whether `apt-get update` already ran in this invocation.
    pub apt_updated: Cell<bool>,
}

impl Ctx {
    /// Builds the context: finds the repository root and prepares `PATH` and the environment.
    pub fn new() -> Result<Ctx> {
        // This crate lives at <root>/crates/xtask. `cargo run` says where at run time; the path
        // compiled in is only a fallback (it is stale if the checkout moved after the build).
        let manifest =
            env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
        let root =
            manifest.ancestors().nth(2).ok_or("cannot find the repository root from CARGO_MANIFEST_DIR")?.to_path_buf();

        let mut dirs = vec![root.join("tools/node_modules/.bin"), cargo_bin_dir()];
        if let Some(path) = env::var_os("PATH") {
            dirs.extend(env::split_paths(&path));
        }
        let path = env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;

        let envs = vec![
            // Trunk otherwise asks the network whether a newer Trunk exists ("true", not "1").
            ("TRUNK_SKIP_VERSION_CHECK", "true".into()),
            // wasm-bindgen-test-runner: Chromium's path and flags (headless, closed network).
            ("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root.join("tools/webdriver.json").into()),
            // Give the browser tests some slack on a busy 2-core machine (default 20 s).
            ("WASM_BINDGEN_TEST_TIMEOUT", "120".into()),
        ];
        Ok(Ctx { root, path, envs, apt_updated: Cell::new(false) })
    }

    /// A command for `program`, to run from the repository root with the prepared environment.
    pub fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut command = Command::new(program);
        command.args(args).current_dir(&self.root).env("PATH", &self.path);
        for (key, value) in &self.envs {
            command.env(key, value);
        }
        command
    }

    /// Prints `$ program args…`, runs it with inherited output and fails unless it exits with 0.
    pub fn run(&self, program: &str, args: &[&str]) -> Result {
        self.run_command(self.command(program, args))
    }

    /// Like [`Ctx::run`], for a command built with [`Ctx::command`] (to add variables or a folder).
    pub fn run_command(&self, mut command: Command) -> Result {
        let shown = show(&command);
        println!("$ {shown}");
        let status = command.status().map_err(|e| format!("cannot start `{shown}`: {e}"))?;
        if status.success() { Ok(()) } else { Err(format!("`{shown}` failed ({status})")) }
    }

    /// Runs a command quietly and returns its standard output if it exits with 0 (for version checks).
    pub fn output(&self, program: &str, args: &[&str]) -> Option<String> {
        let output = self.command(program, args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
        output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    /// The full path of `program` on the prepared `PATH`, if it is there.
    pub fn which(&self, program: &str) -> Option<PathBuf> {
        env::split_paths(&self.path).map(|dir| dir.join(program)).find(|file| is_executable(file))
    }
}

/// Where `cargo install` puts binaries: `$CARGO_HOME/bin`, by default `~/.cargo/bin`.
fn cargo_bin_dir() -> PathBuf {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin")
}

/// Whether `file` exists and is executable by someone.
fn is_executable(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    file.metadata().is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// A command as a person would type it, for messages.
pub fn show(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|arg| arg.to_string_lossy().into_owned()));
    words.join(" ")
}
