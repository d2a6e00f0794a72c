//! Builds the scenario catalog: every `scenarios/NN-name.json` in the repository, in file order,
//! embedded (without the files' indentation) so the command line and the tests have them all; and
//! its index, each scenario's name and title (English, and Chinese where the file has it: a title
//! is `"…"` or `{"en": "…", "zh": "…"}`), which is all the playground embeds (its menu): the
//! page fetches a scenario's file when one is chosen (dist/scenarios/NAME.json, written by
//! tools/scenarios.mjs).
//!
//! The titles are read with serde_json, a build dependency only: it adds nothing to the library.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("../../scenarios");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&root)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|path| path.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut out =
        String::from("/// The scenarios, (name, JSON), in file order.\nstatic CATALOG: &[(&str, &str)] = &[\n");
    let mut index = String::from("/// The scenarios' names and titles, in file order.\nstatic INDEX: &[Entry] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("scenario files have UTF-8 names");
        // `NN-name.json` is called `name`.
        let name =
            stem.split_once('-').filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit())).map_or(stem, |(_, rest)| rest);
        let json = fs::read_to_string(&path).expect("scenario files are UTF-8");
        out.push_str(&format!("    ({name:?}, {:?}),\n", minify(&json)));
        // A file that does not parse keeps its name as its title here; its test names the mistake.
        let title = serde_json::from_str::<serde_json::Value>(&json).ok().and_then(|v| v.get("title").cloned());
        let (en, zh) = match &title {
            Some(serde_json::Value::String(en)) => (Some(en.as_str()), None),
            Some(object) => (object.get("en").and_then(|t| t.as_str()), object.get("zh").and_then(|t| t.as_str())),
            None => (None, None),
        };
        let en = en.unwrap_or(name);
        index.push_str(&format!("    Entry {{ name: {name:?}, title_en: {en:?}, title_zh: {zh:?} }},\n"));
    }
    out.push_str("];\n");
    index.push_str("];\n");
    out.push_str(&index);
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it")).join("scenarios.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}

/// JSON without the whitespace between its tokens (strings are kept as they are).
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c.is_whitespace() {
            continue;
        }
        out.push(c);
    }
    out
}
