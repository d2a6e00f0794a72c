//! What the timeline draws with: a canvas on the page, or an SVG document for export.
//!
//! [`Pen`] is the part of the canvas 2D API the timeline uses, with the canvas's own method names,
//! so the drawing code reads as canvas code and draws the same picture into either.

use core::fmt::Write as _;

// The SVG's text and attribute values, escaped by the one escaper the playground has.
use paxos_play::snippet::attribute as xml_escape;
use paxos_sim::decimal::fixed;

use web_sys::CanvasRenderingContext2d;

/// The drawing operations of the timeline (the canvas 2D API's, by name).
pub trait Pen {
    /// Colour for fills and text.
    fn set_fill_style_str(&mut self, color: &str);
    /// Colour for lines.
    fn set_stroke_style_str(&mut self, color: &str);
    /// Line width, px.
    fn set_line_width(&mut self, width: f64);
    /// Font, CSS syntax.
    fn set_font(&mut self, font: &str);
    /// A filled rectangle.
    fn fill_rect(&mut self, x: f64, y: f64, w: f64, h: f64);
    /// Starts a new path.
    fn begin_path(&mut self);
    /// Moves the path's pen.
    fn move_to(&mut self, x: f64, y: f64);
    /// A line to a point.
    fn line_to(&mut self, x: f64, y: f64);
    /// Closes the path.
    fn close_path(&mut self);
    /// Draws the path's lines.
    fn stroke(&mut self);
    /// Fills the path.
    fn fill(&mut self);
    /// Text whose baseline starts at a point.
    fn fill_text(&mut self, text: &str, x: f64, y: f64);
}

impl Pen for CanvasRenderingContext2d {
    fn set_fill_style_str(&mut self, color: &str) {
        CanvasRenderingContext2d::set_fill_style_str(self, color);
    }
    fn set_stroke_style_str(&mut self, color: &str) {
        CanvasRenderingContext2d::set_stroke_style_str(self, color);
    }
    fn set_line_width(&mut self, width: f64) {
        CanvasRenderingContext2d::set_line_width(self, width);
    }
    fn set_font(&mut self, font: &str) {
        CanvasRenderingContext2d::set_font(self, font);
    }
    fn fill_rect(&mut self, x: f64, y: f64, w: f64, h: f64) {
        CanvasRenderingContext2d::fill_rect(self, x, y, w, h);
    }
    fn begin_path(&mut self) {
        CanvasRenderingContext2d::begin_path(self);
    }
    fn move_to(&mut self, x: f64, y: f64) {
        CanvasRenderingContext2d::move_to(self, x, y);
    }
    fn line_to(&mut self, x: f64, y: f64) {
        CanvasRenderingContext2d::line_to(self, x, y);
    }
    fn close_path(&mut self) {
        CanvasRenderingContext2d::close_path(self);
    }
    fn stroke(&mut self) {
        CanvasRenderingContext2d::stroke(self);
    }
    fn fill(&mut self) {
        CanvasRenderingContext2d::fill(self);
    }
    fn fill_text(&mut self, text: &str, x: f64, y: f64) {
        let _ = CanvasRenderingContext2d::fill_text(self, text, x, y);
    }
}

/// Draws into an SVG document (`finish` returns it).
pub struct SvgPen {
    out: String,
    path: String,
    fill: String,
    stroke: String,
    line_width: f64,
    font: String,
}

impl SvgPen {
    /// An empty drawing `width` × `height` px.
    pub fn new(width: f64, height: f64) -> SvgPen {
        let mut out = String::with_capacity(64 * 1024);
        let (w, h) = (fixed(width, 0), fixed(height, 0));
        let _ =
            write!(out, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#);
        SvgPen {
            out,
            path: String::new(),
            fill: "#000".into(),
            stroke: "#000".into(),
            line_width: 1.0,
            font: "10px sans-serif".into(),
        }
    }

    /// The document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

impl Pen for SvgPen {
    fn set_fill_style_str(&mut self, color: &str) {
        self.fill = xml_escape(color);
    }
    fn set_stroke_style_str(&mut self, color: &str) {
        self.stroke = xml_escape(color);
    }
    fn set_line_width(&mut self, width: f64) {
        self.line_width = width;
    }
    fn set_font(&mut self, font: &str) {
        self.font = xml_escape(font);
    }
    fn fill_rect(&mut self, x: f64, y: f64, w: f64, h: f64) {
        let _ = write!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            fixed(x, 1),
            fixed(y, 1),
            fixed(w, 1),
            fixed(h, 1),
            self.fill
        );
    }
    fn begin_path(&mut self) {
        self.path.clear();
    }
    fn move_to(&mut self, x: f64, y: f64) {
        let _ = write!(self.path, "M{} {}", fixed(x, 1), fixed(y, 1));
    }
    fn line_to(&mut self, x: f64, y: f64) {
        let _ = write!(self.path, "L{} {}", fixed(x, 1), fixed(y, 1));
    }
    fn close_path(&mut self) {
        self.path.push('Z');
    }
    fn stroke(&mut self) {
        let _ = write!(
            self.out,
            r#"<path d="{}" fill="none" stroke="{}" stroke-width="{}"/>"#,
            self.path,
            self.stroke,
            fixed(self.line_width, 1)
        );
    }
    fn fill(&mut self) {
        let _ = write!(self.out, r#"<path d="{}" fill="{}"/>"#, self.path, self.fill);
    }
    fn fill_text(&mut self, text: &str, x: f64, y: f64) {
        let _ = write!(
            self.out,
            r#"<text x="{}" y="{}" fill="{}" style="font:{}">{}</text>"#,
            fixed(x, 1),
            fixed(y, 1),
            self.fill,
            self.font,
            xml_escape(text)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_drawing_holds_what_was_drawn_escaped() {
        let mut pen = SvgPen::new(100.0, 50.0);
        pen.set_fill_style_str("#123456");
        pen.fill_rect(1.0, 2.0, 3.0, 4.0);
        pen.set_stroke_style_str("red");
        pen.begin_path();
        pen.move_to(0.0, 0.0);
        pen.line_to(10.0, 5.5);
        pen.stroke();
        pen.fill_text("a<b & \"c\"", 5.0, 6.0);
        let svg = pen.finish();
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50""#), "{svg}");
        assert!(svg.contains(r##"<rect x="1.0" y="2.0" width="3.0" height="4.0" fill="#123456"/>"##), "{svg}");
        assert!(svg.contains(r#"<path d="M0.0 0.0L10.0 5.5" fill="none" stroke="red" stroke-width="1.0"/>"#), "{svg}");
        assert!(svg.contains("a&lt;b &amp; &quot;c&quot;</text>"), "{svg}");
        assert!(svg.ends_with("</svg>\n"));
    }
}
