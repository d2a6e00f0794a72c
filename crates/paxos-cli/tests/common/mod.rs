//! What the `paxos` command's tests share: running it, and the one line bad input gets.

use std::process::{Command, Output};

/// Runs `paxos` with `args`.
pub fn paxos(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paxos")).args(args).output().expect("paxos runs")
}

/// Bytes a command wrote, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Bad input: exit code 2, one line on stderr naming what is wrong, and nothing on stdout.
pub fn refused(args: &[&str]) -> String {
    let out = paxos(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}");
    stderr.trim_end().to_string()
}
