//! No import cycle among the files of `web/src`: the page's state (`state/`) knows no view, the
//! views (`components/`) know no page, and the page (`app`) knows them all (issue 11).
//!
//! Reads the sources: an edge goes from a file to the file of every module it names through
//! `crate::…` or `super::…` (in `use` lines or paths, tests included, `use a::{b, c}` groups
//! expanded), or through a child module's name (`inspector::view` in `panels/mod.rs`). `mod x;`
//! declarations are not edges. Natively only (the browser has no files).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// A module path (`["components", "panels"]`) and the text of its file (comments removed).
type Files = BTreeMap<Vec<String>, String>;

fn read(dir: &Path, module: &[String], files: &mut Files) {
    for entry in fs::read_dir(dir).expect("web/src is readable") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 name").to_string();
        if path.is_dir() {
            read(&path, &[module, &[name]].concat(), files);
        } else if path.extension().is_some_and(|e| e == "rs") && name != "main" {
            let text = fs::read_to_string(&path).expect("a source file");
            let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
            let module = if name == "mod" || name == "lib" { module.to_vec() } else { [module, &[name]].concat() };
            files.insert(module, code);
        }
    }
}

/// The module of `files` that `path` lands in: its longest prefix that is a file.
fn resolve(files: &Files, path: &[String]) -> Vec<String> {
    (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| files.contains_key(p)).unwrap_or_default()
}

/// The identifiers after `start` in `text`, joined by `::`, with a `{a, b::c}` group's first names.
fn paths_after(text: &str, start: usize) -> Vec<Vec<String>> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut path = Vec::new();
    let mut rest = &text[start..];
    while let Some(next) = rest.strip_prefix("::") {
        if let Some(group) = next.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            return inner
                .split(',')
                .map(|part| ident(part.trim()))
                .filter(|name| !name.is_empty())
                .map(|name| if name == "self" { path.clone() } else { [path.clone(), vec![name]].concat() })
                .collect();
        }
        let name = ident(next);
        if name.is_empty() {
            break;
        }
        rest = &next[name.len()..];
        path.push(name);
    }
    vec![path]
}

fn edges(files: &Files) -> BTreeMap<Vec<String>, Vec<Vec<String>>> {
    let mut edges = BTreeMap::new();
    for (module, text) in files {
        let parent = module[..module.len().saturating_sub(1)].to_vec();
        // In an inline `mod tests`, `super` is the file's own module.
        let tests_at = text.find("mod tests {").unwrap_or(text.len());
        let mut to = Vec::new();
        for keyword in ["crate", "super"] {
            for (at, _) in text.match_indices(keyword) {
                let before = text[..at].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let base = match keyword {
                    "crate" => Vec::new(),
                    _ if at > tests_at => module.clone(),
                    _ => parent.clone(),
                };
                for path in paths_after(text, at + keyword.len()) {
                    if !path.is_empty() {
                        to.push(resolve(files, &[base.clone(), path].concat()));
                    }
                }
            }
        }
        for child in files.keys().filter(|c| c.len() == module.len() + 1 && c.starts_with(module)) {
            let name = format!("{}::", child[child.len() - 1]);
            let named = text
                .match_indices(&name)
                .any(|(at, _)| !text[..at].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':'));
            if named {
                to.push(child.clone());
            }
        }
        to.retain(|t| t != module);
        to.sort();
        to.dedup();
        edges.insert(module.clone(), to);
    }
    edges
}

/// A cycle through `at`, if there is one: depth-first search, `path` the files on the way.
fn cycle(
    edges: &BTreeMap<Vec<String>, Vec<Vec<String>>>,
    at: &Vec<String>,
    path: &mut Vec<Vec<String>>,
    done: &mut Vec<Vec<String>>,
) -> Option<Vec<Vec<String>>> {
    if let Some(i) = path.iter().position(|p| p == at) {
        return Some(path[i..].to_vec());
    }
    if done.contains(at) {
        return None;
    }
    path.push(at.clone());
    for next in &edges[at] {
        if let Some(found) = cycle(edges, next, path, done) {
            return Some(found);
        }
    }
    path.pop();
    done.push(at.clone());
    None
}

fn name(module: &[String]) -> String {
    if module.is_empty() { "lib".to_string() } else { module.join("/") }
}

/// No file of web/src imports, through others, a file that imports it.
#[test]
fn web_src_has_no_import_cycle() {
    let mut files = Files::new();
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &[], &mut files);
    let edges = edges(&files);
    // The checker sees the page's imports (so that finding none would mean something).
    let app = &edges[&vec!["app".to_string()]];
    for used in [&["msg"][..], &["state", "playback"], &["components", "cluster"]] {
        let used: Vec<String> = used.iter().map(|s| s.to_string()).collect();
        assert!(
            app.contains(&used),
            "app imports {}: {:?}",
            name(&used),
            app.iter().map(|m| name(m)).collect::<Vec<_>>()
        );
    }
    let mut done = Vec::new();
    for module in edges.keys() {
        if let Some(found) = cycle(&edges, module, &mut Vec::new(), &mut done) {
            let names: Vec<String> = found.iter().map(|m| name(m)).collect();
            panic!("an import cycle in web/src: {} -> {}", names.join(" -> "), names[0]);
        }
    }
    println!("web/src: {} files, {} imports, no cycle", files.len(), edges.values().map(Vec::len).sum::<usize>());
}

/// The checker finds a cycle where there is one (two files that import each other).
#[test]
fn a_cycle_is_found() {
    let mut files = Files::new();
    files.insert(vec![], String::new());
    files.insert(vec!["a".into()], "use crate::b::{self, f};".into());
    files.insert(vec!["b".into()], "fn g() { crate::a::h() }".into());
    files.insert(vec!["c".into()], "pub(crate) fn x() { super::a::h() }".into());
    let edges = edges(&files);
    assert_eq!(edges[&vec!["c".to_string()]], [vec!["a".to_string()]], "pub(crate) is no import");
    let found = cycle(&edges, &vec!["a".to_string()], &mut Vec::new(), &mut Vec::new());
    assert_eq!(found, Some(vec![vec!["a".to_string()], vec!["b".to_string()]]));
}
