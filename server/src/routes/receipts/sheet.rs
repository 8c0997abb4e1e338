//! A small composer for printed A4 forms: text flows down a column in millimetres, wrapped to
//! its width; filled-in values sit on underlines with a caption beneath, as on the paper forms
//! of the rules' annexes. [`super::render`] writes the result.

use super::font::{Weight, MM_PER_PT};

/// A4 portrait (the rules' forms are A4).
pub const PAGE_WIDTH_MM: f32 = 210.0;
/// A4 portrait height.
pub const PAGE_HEIGHT_MM: f32 = 297.0;
/// Margins of Kazakhstan's office paperwork: wide on the left for binding.
pub const MARGIN_LEFT_MM: f32 = 25.0;
/// Right margin.
pub const MARGIN_RIGHT_MM: f32 = 15.0;
/// Top and bottom margins.
pub const MARGIN_Y_MM: f32 = 15.0;

/// Body text size in points.
pub const BODY: f32 = 10.5;
/// Captions under lines and the annex header.
pub const SMALL: f32 = 7.5;
/// Titles.
pub const TITLE: f32 = 12.5;
/// Width of a place to sign.
pub const SIGNATURE_MM: f32 = 45.0;

/// Something drawn, placed from the top-left of its flow, in millimetres.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// One line of text; `y` is its baseline.
    Text { x: f32, y: f32, size: f32, weight: Weight, text: String },
    /// A straight line.
    Rule { from: (f32, f32), to: (f32, f32), width_pt: f32, dashed: bool },
    /// A filled black rectangle from its top-left corner (the modules of a QR code).
    Fill { x: f32, y: f32, w: f32, h: f32 },
}

impl Mark {
    fn shifted(&self, dy: f32) -> Mark {
        match self {
            Mark::Text { x, y, size, weight, text } => Mark::Text { x: *x, y: y + dy, size: *size, weight: *weight, text: text.clone() },
            Mark::Rule { from, to, width_pt, dashed } => {
                Mark::Rule { from: (from.0, from.1 + dy), to: (to.0, to.1 + dy), width_pt: *width_pt, dashed: *dashed }
            }
            Mark::Fill { x, y, w, h } => Mark::Fill { x: *x, y: y + dy, w: *w, h: *h },
        }
    }
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// Height of a line of text of `size` points, in millimetres.
pub fn line_height(size: f32) -> f32 {
    size * 1.3 * MM_PER_PT
}

/// The words of `text`; the number sign stays with what follows it, as typesetting rules want
/// ("№ 5" never breaks after "№").
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if last == "№" => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    words
}

/// Splits `text` into lines no wider than `width` millimetres, breaking between words (and
/// inside a word only when it alone is too wide).
pub fn wrap(text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
    let face = weight.face();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in words(text) {
        let word = word.as_str();
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if face.width_mm(&candidate, size) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        for c in word.chars() {
            current.push(c);
            if face.width_mm(&current, size) > width && current.chars().count() > 1 {
                current.pop();
                lines.push(std::mem::replace(&mut current, c.to_string()));
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// A column of marks laid out top-down; `y` is where the next line starts.
#[derive(Debug, Clone)]
pub struct Flow {
    /// What has been laid out.
    pub marks: Vec<Mark>,
    /// Top of the next line, from the flow's top.
    pub y: f32,
    left: f32,
    right: f32,
    body: f32,
}

impl Flow {
    /// A flow across the page between the margins.
    pub fn page_column() -> Self {
        Self::between(MARGIN_LEFT_MM, PAGE_WIDTH_MM - MARGIN_RIGHT_MM)
    }

    /// A flow between two x positions.
    pub fn between(left: f32, right: f32) -> Self {
        Self { marks: Vec::new(), y: 0.0, left, right, body: BODY }
    }

    /// The same flow with another body text size (a form printed twice on a page is smaller).
    pub fn with_body(mut self, size: f32) -> Self {
        self.body = size;
        self
    }

    /// The body text size.
    pub fn body(&self) -> f32 {
        self.body
    }

    /// Left edge.
    pub fn left(&self) -> f32 {
        self.left
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.right
    }

    /// Vertical space.
    pub fn gap(&mut self, mm: f32) {
        self.y += mm;
    }

    /// One line of text at `x`, on the current line, without advancing.
    pub fn put(&mut self, x: f32, text: &str, size: f32, weight: Weight) {
        self.marks.push(Mark::Text { x, y: self.y + size * MM_PER_PT, size, weight, text: text.to_string() });
    }

    /// A wrapped paragraph; `indent` applies to its first line (as in official letters).
    pub fn paragraph(&mut self, text: &str, size: f32, weight: Weight, align: Align, indent: f32) {
        let width = self.right - self.left;
        let face = weight.face();
        let first_width = width - indent;
        let mut lines = wrap(text, size, weight, first_width);
        if lines.len() > 1 {
            // Only the first line is indented: re-wrap the rest at full width.
            let rest = lines[1..].join(" ");
            lines.truncate(1);
            lines.extend(wrap(&rest, size, weight, width));
        }
        for (i, line) in lines.iter().enumerate() {
            let line_indent = if i == 0 { indent } else { 0.0 };
            let x = match align {
                Align::Left => self.left + line_indent,
                Align::Center => self.left + (width - face.width_mm(line, size)) / 2.0,
                Align::Right => self.right - face.width_mm(line, size),
            };
            self.put(x, line, size, weight);
            self.y += line_height(size);
        }
    }

    /// A horizontal rule across the flow at the current position.
    pub fn rule(&mut self, from_x: f32, to_x: f32, dashed: bool) {
        self.marks.push(Mark::Rule { from: (from_x, self.y), to: (to_x, self.y), width_pt: 0.5, dashed });
    }

    /// A filled-in value on an underline across the flow, with `caption` in small type beneath
    /// (how the annexes print a blank); an empty value leaves the line to be filled in by hand.
    pub fn filled_line(&mut self, value: &str, caption: Option<&str>) {
        let width = self.right - self.left;
        for line in wrap(value, self.body, Weight::Regular, width - 4.0) {
            self.put(self.left + 2.0, &line, self.body, Weight::Regular);
            self.y += line_height(self.body);
            self.rule(self.left, self.right, false);
            self.y += 0.8;
        }
        if let Some(caption) = caption {
            self.paragraph(caption, SMALL, Weight::Regular, Align::Center, 0.0);
        }
        self.y += 1.5;
    }

    /// `label` followed on the same line by an underlined value (or a blank to fill in).
    pub fn labelled(&mut self, label: &str, value: &str) {
        self.field(label, value, None);
    }

    /// `label` and an underlined value (or a blank to fill in) on one line; with a signature
    /// caption, the underline stops short of a place to sign at the right edge, captioned
    /// beneath. What does not fit on one line goes on the lines below.
    pub fn field(&mut self, label: &str, value: &str, signature: Option<&str>) {
        let face = Weight::Regular.face();
        let line_right = self.right - if signature.is_some() { SIGNATURE_MM + 5.0 } else { 0.0 };
        let label_width = if label.is_empty() { 0.0 } else { face.width_mm(label, self.body) + 3.0 };
        let value_width = face.width_mm(value, self.body).max(30.0) + 2.0;
        if line_right - self.left - label_width < value_width {
            self.paragraph(label, self.body, Weight::Regular, Align::Left, 0.0);
            if line_right - self.left >= value_width {
                return self.field("", value, signature);
            }
            self.filled_line(value, None);
            if let Some(caption) = signature {
                self.field("", "", Some(caption));
            }
            return;
        }
        let x = self.left + label_width;
        if !label.is_empty() {
            self.put(self.left, label, self.body, Weight::Regular);
        }
        self.put(x + 1.0, value, self.body, Weight::Regular);
        self.y += line_height(self.body);
        self.rule(x, line_right, false);
        match signature {
            Some(caption) => {
                self.rule(self.right - SIGNATURE_MM, self.right, false);
                self.y += 0.6;
                let caption_x = self.right - SIGNATURE_MM / 2.0 - face.width_mm(caption, SMALL) / 2.0;
                self.put(caption_x, caption, SMALL, Weight::Regular);
                self.y += line_height(SMALL) + 1.0;
            }
            None => self.y += 2.5,
        }
    }

    /// Appends another flow's marks below this flow's current position.
    pub fn append(&mut self, other: Flow) {
        self.marks.extend(other.marks.iter().map(|m| m.shifted(self.y)));
        self.y += other.y;
    }

    /// Two flows side by side from the current position; the flow goes on below the taller.
    pub fn append_beside(&mut self, a: Flow, b: Flow) {
        let start = self.y;
        self.append(a);
        let below_a = self.y;
        self.y = start;
        self.append(b);
        self.y = self.y.max(below_a);
    }

    /// The marks moved down by `dy` (to place the flow on a page).
    pub fn placed_at(&self, dy: f32) -> Vec<Mark> {
        self.marks.iter().map(|m| m.shifted(dy)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let text = "Көрсетілетін қызметті алушы құжаттардың топтамасын толық ұсынбаған кезде қызметкер өтінішті қабылдаудан бас тартады";
        let lines = wrap(text, BODY, Weight::Regular, 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().all(|l| Weight::Regular.face().width_mm(l, BODY) <= 60.0), "{lines:?}");
    }

    #[test]
    fn a_word_wider_than_the_column_is_broken() {
        let lines = wrap("ЖоғарыЖәнеЖоғарыОқуОрнынанКейінгі", BODY, Weight::Bold, 20.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), "ЖоғарыЖәнеЖоғарыОқуОрнынанКейінгі");
    }

    #[test]
    fn the_number_sign_stays_with_its_number() {
        let text = "КЕАҚ филиалының № ______ бөлімі";
        for width in [30.0, 35.0, 40.0, 45.0, 50.0] {
            let lines = wrap(text, BODY, Weight::Regular, width);
            assert!(lines.iter().all(|l| !l.ends_with('№')), "{width}: {lines:?}");
        }
    }

    #[test]
    fn an_empty_paragraph_is_one_empty_line() {
        assert_eq!(wrap("", BODY, Weight::Regular, 50.0), vec![String::new()]);
    }
}
