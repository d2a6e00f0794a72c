//! Files out of the page and into it: downloads (run, trace, history, images), reading a file a
//! person picked or dropped, and fetching a scenario's file. Browser plumbing only; what goes into
//! the files is made elsewhere (`paxos_play::share` for the run, the CLI's formats for the trace and
//! history, `timeline::svg`).

use std::cell::Cell;
use std::rc::Rc;

use paxos_play::scenario::Text;
use paxos_play::share::Shared;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, Element, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

use crate::browser::Dom;
use crate::i18n::{t, tf};
use crate::layout::{HEIGHT, WIDTH};
use crate::model::Session;
use crate::state::sharing::{Export, file_name};
use crate::timeline::{self, Scene};

/// Exports `what` of the run `session` shows: `shared` and `hash` are the run as a link and its
/// trace hash, `scene` what the timeline shows, `dom` the views' elements. A PNG of the cluster is
/// made asynchronously: what goes wrong then is passed to `problem`.
pub fn export(
    what: Export,
    session: &Session,
    (shared, hash): (&Shared, u64),
    scene: &Scene<'_>,
    dom: &Dom,
    problem: impl Fn(String) + 'static,
) -> Result<(), String> {
    let sim = session.sim();
    let name = |extension| file_name(Some(session), extension);
    match what {
        Export::Run => download_text(&name("json"), "application/json", &shared.to_json(hash)),
        Export::Scenario => {
            let (title, summary) = match &session.scenario {
                Some(scenario) => (scenario.title.clone(), scenario.summary.clone()),
                None => {
                    let config = sim.config();
                    let protocol = crate::i18n::protocol(config.protocol);
                    let title = tf("export.scenario_title", &[("protocol", &protocol), ("nodes", &config.nodes)]);
                    (Text::new(title), Text::new(tf("export.scenario_summary", &[("seed", &config.seed)])))
                }
            };
            let scenario = shared.to_scenario(session.scenario.as_ref(), title, summary)?;
            download_text(&name("scenario.json"), "application/json", &scenario.to_json())
        }
        Export::Trace | Export::History => {
            let (lines, extension) = if what == Export::Trace {
                (sim.trace().json_lines(sim.config().nodes).collect(), "trace.jsonl")
            } else {
                (sim.history().jepsen_lines(sim.now()), "history.jsonl")
            };
            download_text(&name(extension), "application/x-ndjson", &(lines.join("\n") + "\n"))
        }
        Export::TimelineSvg | Export::TimelinePng => {
            let (canvas, width, height) = dom.canvas_size().ok_or_else(|| t("export.no_timeline"))?;
            if what == Export::TimelinePng {
                return canvas_png(&canvas, &name("timeline.png"));
            }
            download_text(&name("timeline.svg"), "image/svg+xml", &timeline::svg(scene, width, height))
        }
        Export::ClusterSvg | Export::ClusterPng => {
            let element = dom.svg.cast::<Element>().ok_or_else(|| t("export.no_cluster"))?;
            let svg = standalone_svg(&element);
            if what == Export::ClusterSvg {
                return download_text(&name("cluster.svg"), "image/svg+xml", &svg);
            }
            let (w, h) = (WIDTH as u32 * 2, HEIGHT as u32 * 2);
            svg_png(&svg, w, h, &name("cluster.png"), problem)
        }
    }
}

/// Offers `content` as a download named `name`.
pub fn download_text(name: &str, mime: &str, content: &str) -> Result<(), String> {
    let parts = js_sys_array(content);
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let result = download_url(name, &url);
    let _ = Url::revoke_object_url(&url);
    result
}

/// Offers what `url` points at (a `data:` or `blob:` address) as a download named `name`.
pub fn download_url(name: &str, url: &str) -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let anchor: HtmlAnchorElement = document.create_element("a").map_err(describe)?.unchecked_into();
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}

/// The canvas as a PNG download.
pub fn canvas_png(canvas: &HtmlCanvasElement, name: &str) -> Result<(), String> {
    let url = canvas.to_data_url_with_type("image/png").map_err(describe)?;
    download_url(name, &url)
}

/// The SVG element as a standalone document: the page's style sheets inlined, so that it looks the
/// same outside the page (the theme's colours included).
pub fn standalone_svg(svg: &Element) -> String {
    let mut css = String::new();
    if let Some(sheets) = web_sys::window().and_then(|w| w.document()).map(|d| d.style_sheets()) {
        for i in 0..sheets.length() {
            let Some(sheet) = sheets.item(i).and_then(|s| s.dyn_into::<web_sys::CssStyleSheet>().ok()) else {
                continue;
            };
            let Ok(rules) = sheet.css_rules() else { continue };
            for j in 0..rules.length() {
                if let Some(rule) = rules.item(j) {
                    css.push_str(&rule.css_text());
                    css.push('\n');
                }
            }
        }
    }
    let markup = svg.outer_html();
    let Some((open, rest)) = markup.split_once('>') else { return markup };
    let xmlns = if open.contains("xmlns=") { "" } else { r#" xmlns="http://www.w3.org/2000/svg""# };
    // The CSS is text inside <style>: only `<` and `&` could end or confuse it in XML.
    let css = css.replace('&', "&amp;").replace('<', "&lt;");
    format!("{open}{xmlns}><style>{css}</style>{rest}")
}

/// Draws the SVG document on a canvas `width` × `height` px and offers it as a PNG download (the
/// image loads asynchronously; a failure is reported through `report`).
pub fn svg_png(
    svg: &str,
    width: u32,
    height: u32,
    name: &str,
    report: impl Fn(String) + 'static,
) -> Result<(), String> {
    let options = BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = Blob::new_with_str_sequence_and_options(&js_sys_array(svg), &options).map_err(describe)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let image = HtmlImageElement::new().map_err(describe)?;
    let name = name.to_string();
    let loaded = image.clone();
    let object_url = url.clone();
    let onload = Closure::once_into_js(move || {
        let draw = || -> Result<(), String> {
            let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
            let canvas: HtmlCanvasElement = document.create_element("canvas").map_err(describe)?.unchecked_into();
            canvas.set_width(width);
            canvas.set_height(height);
            let ctx = canvas
                .get_context("2d")
                .map_err(describe)?
                .ok_or("no 2d context")?
                .unchecked_into::<web_sys::CanvasRenderingContext2d>();
            ctx.draw_image_with_html_image_element_and_dw_and_dh(&loaded, 0.0, 0.0, width.into(), height.into())
                .map_err(describe)?;
            canvas_png(&canvas, &name)
        };
        if let Err(e) = draw() {
            report(tf("export.png_failed", &[("error", &e)]));
        }
        let _ = Url::revoke_object_url(&object_url);
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
    Ok(())
}

/// Reads a file's text, then calls `done` with it (or with what went wrong).
pub fn read_file(file: &web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    let Ok(reader) = web_sys::FileReader::new() else {
        done(Err(t("export.cannot_read_files")));
        return;
    };
    let read = reader.clone();
    let onloadend = Closure::once_into_js(move || {
        let text = read.result().ok().and_then(|r| r.as_string());
        done(text.ok_or_else(|| t("export.not_text_file")));
    });
    reader.set_onloadend(Some(onloadend.unchecked_ref()));
    let _ = reader.read_as_text(file);
}

/// Fetches `url` (relative to the page) as text, then calls `done`; an error says what went wrong:
/// the network, the server's answer (`HTTP 404 Not Found`), or the body.
pub fn fetch_text(url: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    let Some(window) = web_sys::window() else {
        done(Err(t("fetch.no_window")));
        return;
    };
    settle(&window.fetch_with_str(url), move |response| {
        let response = match response.map(JsCast::dyn_into::<web_sys::Response>) {
            Ok(Ok(response)) => response,
            Ok(Err(_)) => return done(Err(t("fetch.failed"))),
            Err(e) => return done(Err(tf("fetch.failed_because", &[("error", &describe(e))]))),
        };
        if !response.ok() {
            return done(Err(format!("HTTP {} {}", response.status(), response.status_text()).trim_end().to_string()));
        }
        match response.text() {
            Ok(body) => settle(&body, move |text| {
                done(match text {
                    Ok(text) => text.as_string().ok_or_else(|| t("fetch.not_text")),
                    Err(e) => Err(tf("fetch.unreadable", &[("error", &describe(e))])),
                })
            }),
            Err(e) => done(Err(describe(e))),
        }
    });
}

/// Calls `then` once the promise settles, with its value or the reason it was rejected. Plain
/// callbacks rather than `async`: a futures executor would cost the bundle about 1 KB gzipped.
pub fn settle(promise: &web_sys::js_sys::Promise, then: impl FnOnce(Result<JsValue, JsValue>) + 'static) {
    let then = Rc::new(Cell::new(Some(then)));
    let rejected = then.clone();
    let resolve = Closure::once(move |value: JsValue| then.take().map_or((), |then| then(Ok(value))));
    let reject = Closure::once(move |reason: JsValue| rejected.take().map_or((), |then| then(Err(reason))));
    let _ = promise.then2(&resolve, &reject);
    // JavaScript owns them now; one of the two is never called, and both are a few bytes.
    resolve.forget();
    reject.forget();
}

fn js_sys_array(text: &str) -> JsValue {
    let parts = web_sys::js_sys::Array::new();
    parts.push(&JsValue::from_str(text));
    parts.into()
}

fn describe(error: JsValue) -> String {
    if let Some(error) = error.dyn_ref::<web_sys::js_sys::Error>() {
        return String::from(error.message());
    }
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}
