//! The body parser: one XML part (document, header, footer, notes)
//! streamed into items — paragraphs with their runs, fields, content
//! controls, text boxes, tables with their merges.

use super::*;

/// State shared by all parts of one document.
pub(super) struct Ctx {
    pub(super) styles: Styles,
    pub(super) numbering: Numbering,
    /// List instance → counters per level.
    pub(super) counters: HashMap<String, [i64; 9]>,
    pub(super) images: Vec<ImageRef>,
    pub(super) seen_images: HashSet<String>,
    /// Displayed size (points) of each image, from its drawing's extent.
    pub(super) extents: HashMap<String, (f32, f32)>,
    pub(super) warnings: Vec<String>,
    /// Tracked deletions not yet accepted: dropped, but the reviewer
    /// should know the file still carries them.
    pub(super) deletions: usize,
}

#[derive(Default, Clone, Copy)]
pub(super) struct SdtInfo {
    pub(super) checkbox: Option<bool>,
    pub(super) placeholder: bool,
}

pub(super) type XmlResult<T> = Result<T, quick_xml::Error>;

/// A paragraph's list membership: (numId, level).
pub(super) type NumRef = (String, u8);

/// Streams one XML part into [`Item`]s.
pub(super) struct Parser<'x, 'c> {
    pub(super) r: Reader<&'x [u8]>,
    pub(super) rels: &'x HashMap<String, Rel>,
    pub(super) ctx: &'c mut Ctx,
    /// One entry per open complex field: true once past `separate`, when
    /// its text is the visible result rather than the instruction.
    pub(super) fields: Vec<bool>,
    /// One entry per open mc:AlternateContent: true once a branch was read.
    pub(super) alt: Vec<bool>,
    /// Properties of the content control whose content comes next.
    pub(super) sdt: Option<SdtInfo>,
    /// Text boxes met so far, emitted after the block that anchors them.
    pub(super) floating: Vec<Item>,
    /// Size of the drawing being read (`wp:extent`), in points.
    pub(super) extent: Option<(f32, f32)>,
    pub(super) depth: usize,
}

impl<'x, 'c> Parser<'x, 'c> {
    pub(super) fn new(xml: &'x str, rels: &'x HashMap<String, Rel>, ctx: &'c mut Ctx) -> Self {
        let r = Reader::from_str(xml);
        Parser {
            r,
            rels,
            ctx,
            fields: Vec::new(),
            alt: Vec::new(),
            sdt: None,
            extent: None,
            floating: Vec::new(),
            depth: 0,
        }
    }

    /// Reads the part: the content of every `root` element (`body`, `hdr`,
    /// `ftr`), or of each real footnote/endnote when `root` is `notes`.
    pub(super) fn run(mut self, root: &str) -> XmlResult<(Vec<Item>, Vec<Item>)> {
        let mut items = Vec::new();
        loop {
            match self.r.read_event()? {
                Event::Start(e) => {
                    let name = e.local_name();
                    let name = name.as_ref();
                    if root == "notes" && (name == "footnote" || name == "endnote") {
                        // Separators are Word's own furniture, not content.
                        if attr(&e, "type").is_some_and(|t| t != "normal") {
                            self.skip(&e)?;
                            continue;
                        }
                        let end = name.to_string();
                        let mut p = CellProps::default();
                        items.extend(self.body(&end, &mut p)?);
                    } else if name == root {
                        let mut p = CellProps::default();
                        items.extend(self.body(root, &mut p)?);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok((items, self.floating))
    }

    pub(super) fn skip(&mut self, e: &BytesStart<'_>) -> XmlResult<()> {
        self.r.read_to_end(e.name())?;
        Ok(())
    }

    /// Handles mc:AlternateContent branches; returns true when the event
    /// was one of them (and has been dealt with).
    pub(super) fn alternate(&mut self, e: &BytesStart<'_>) -> XmlResult<bool> {
        match e.local_name().as_ref() {
            "AlternateContent" => self.alt.push(false),
            "Choice" | "Fallback" => {
                // Only one branch: both hold the same text box.
                match self.alt.last_mut() {
                    Some(taken) if *taken => self.skip(e)?,
                    Some(taken) => *taken = true,
                    None => {}
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Block-level content up to the end of `end`: paragraphs, tables,
    /// and (for a cell) the cell's properties.
    pub(super) fn body(&mut self, end: &str, props: &mut CellProps) -> XmlResult<Vec<Item>> {
        let mut items = Vec::new();
        loop {
            match self.r.read_event()? {
                Event::Start(e) => {
                    if self.alternate(&e)? {
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "p" => {
                            items.push(Item::Para(self.paragraph()?));
                            self.anchor_boxes(&mut items);
                        }
                        "tbl" => {
                            if self.depth >= MAX_DEPTH {
                                self.ctx
                                    .warnings
                                    .push("table nested too deep: skipped".into());
                                self.skip(&e)?;
                            } else {
                                self.depth += 1;
                                let t = self.table();
                                self.depth -= 1;
                                items.push(Item::Table(t?));
                                self.anchor_boxes(&mut items);
                            }
                        }
                        "tcPr" => *props = self.cell_props()?,
                        "sdtPr" => self.sdt = Some(self.sdt_props()?),
                        "sdtContent" => {
                            let placeholder = self.sdt.take().is_some_and(|s| s.placeholder);
                            if placeholder {
                                self.skip(&e)?;
                            }
                        }
                        "del" | "moveFrom" => {
                            self.ctx.deletions += 1;
                            self.skip(&e)?;
                        }
                        "sectPr" | "customXmlPr" => self.skip(&e)?,
                        _ => {}
                    }
                }
                Event::End(e) => {
                    let name = e.local_name();
                    if name.as_ref() == end {
                        break;
                    }
                    if name.as_ref() == "AlternateContent" {
                        self.alt.pop();
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(items)
    }

    /// At the top level of a part, text boxes met inside the block just
    /// read follow it; deeper down they wait for the enclosing block.
    pub(super) fn anchor_boxes(&mut self, items: &mut Vec<Item>) {
        if self.depth == 0 && !self.floating.is_empty() {
            items.push(Item::Boxes(std::mem::take(&mut self.floating)));
        }
    }

    pub(super) fn table(&mut self) -> XmlResult<TTable> {
        let mut t = TTable::default();
        loop {
            match self.r.read_event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "tr" => {
                        if let Some(row) = self.row()? {
                            t.rows.push(row);
                        }
                    }
                    "tblGrid" => t.grid_cols = self.count_grid()?,
                    "tblPr" | "tblPrEx" => self.skip(&e)?,
                    "sdtPr" => self.sdt = Some(self.sdt_props()?),
                    "sdtContent" => {
                        self.sdt = None;
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tbl" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(t)
    }

    pub(super) fn count_grid(&mut self) -> XmlResult<usize> {
        let mut n = 0;
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "gridCol" => n += 1,
                Event::Start(e) if e.local_name().as_ref() == "tblGridChange" => self.skip(&e)?,
                Event::End(e) if e.local_name().as_ref() == "tblGrid" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(n)
    }

    /// One table row, or `None` for a row deleted in tracked changes.
    pub(super) fn row(&mut self) -> XmlResult<Option<TRow>> {
        let mut row = TRow::default();
        let mut deleted = false;
        loop {
            match self.r.read_event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "tc" => {
                        let mut props = CellProps::default();
                        let items = self.body("tc", &mut props)?;
                        row.cells.push(TCell { props, items });
                    }
                    "trPr" => loop {
                        match self.r.read_event()? {
                            Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                                "gridBefore" => row.grid_before = num_attr(&e, "val"),
                                "gridAfter" => row.grid_after = num_attr(&e, "val"),
                                "del" => deleted = true,
                                "trPrChange" => self.skip(&e)?,
                                _ => {}
                            },
                            Event::End(e) if e.local_name().as_ref() == "trPr" => break,
                            Event::Eof => break,
                            _ => {}
                        }
                    },
                    "tblPrEx" => self.skip(&e)?,
                    "sdtPr" => self.sdt = Some(self.sdt_props()?),
                    "sdtContent" => self.sdt = None,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        if deleted {
            self.ctx.deletions += 1;
        }
        Ok((!deleted).then_some(row))
    }

    pub(super) fn cell_props(&mut self) -> XmlResult<CellProps> {
        let mut p = CellProps {
            span: 1,
            ..Default::default()
        };
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "gridSpan" => p.span = num_attr(&e, "val").clamp(1, 1000),
                    "vMerge" => {
                        p.vmerge = match attr(&e, "val").as_deref() {
                            Some("restart") => VMerge::Restart,
                            _ => VMerge::Continue,
                        }
                    }
                    "hMerge" => p.hmerge_continue = attr(&e, "val").as_deref() != Some("restart"),
                    "tcPrChange" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tcPr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(p)
    }

    pub(super) fn sdt_props(&mut self) -> XmlResult<SdtInfo> {
        let mut info = SdtInfo::default();
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "checkbox" => info.checkbox = Some(info.checkbox.unwrap_or(false)),
                    "checked"
                        if info.checkbox.is_some() || e.name().as_ref().starts_with("w14") =>
                    {
                        info.checkbox = Some(on(&e));
                    }
                    "showingPlcHdr" => info.placeholder = on(&e),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "sdtPr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(info)
    }

    /// Reads paragraph properties: (style id, (numId, ilvl)).
    pub(super) fn para_props(&mut self) -> XmlResult<(Option<String>, Option<NumRef>)> {
        let mut style = None;
        let mut num_id = None;
        let mut ilvl = 0u8;
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "pStyle" => style = attr(&e, "val"),
                    "numId" => num_id = attr(&e, "val"),
                    "ilvl" => ilvl = num_attr(&e, "val").min(8) as u8,
                    // Old properties of a tracked change, and the mark's run.
                    "pPrChange" | "rPr" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "pPr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok((style, num_id.map(|n| (n, ilvl))))
    }

    /// Reads run properties: (hidden, symbol font if any).
    pub(super) fn run_props(&mut self) -> XmlResult<(bool, Option<SymFont>)> {
        let mut hidden = false;
        let mut font = None;
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "vanish" => hidden = on(&e),
                    "rFonts" => {
                        font = attr(&e, "ascii")
                            .or_else(|| attr(&e, "hAnsi"))
                            .and_then(|f| SymFont::from_name(&f));
                    }
                    "rPrChange" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "rPr" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok((hidden, font))
    }

    /// A legacy form field's begin mark: its checkbox state, if it is one.
    pub(super) fn form_checkbox(&mut self) -> XmlResult<Option<bool>> {
        let mut is_box = false;
        let mut default = false;
        let mut checked = None;
        loop {
            match self.r.read_event()? {
                Event::Empty(e) | Event::Start(e) => match e.local_name().as_ref() {
                    "checkBox" => is_box = true,
                    "default" if is_box => default = on_val(&e),
                    "checked" if is_box => checked = Some(on(&e)),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "fldChar" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(is_box.then(|| checked.unwrap_or(default)))
    }

    pub(super) fn image(&mut self, e: &BytesStart<'_>) {
        let id = match e.local_name().as_ref() {
            "blip" => attr(e, "embed"),
            _ => attr(e, "id"),
        };
        let Some(rel) = id.and_then(|id| self.rels.get(&id)) else {
            return;
        };
        if rel.external || !self.ctx.seen_images.insert(rel.target.clone()) {
            return;
        }
        if let Some(ext) = self.extent.take() {
            self.ctx.extents.insert(rel.target.clone(), ext);
        }
        let ext = rel
            .target
            .rsplit_once('.')
            .map(|(_, x)| x.to_ascii_lowercase())
            .unwrap_or_default();
        let format = match ext.as_str() {
            "jpg" | "jpe" => "jpeg".to_string(),
            "tif" => "tiff".to_string(),
            _ => ext,
        };
        self.ctx.images.push(ImageRef {
            name: rel.target.clone(),
            format,
            ..Default::default()
        });
    }

    pub(super) fn visible(&self) -> bool {
        self.fields.iter().all(|&in_result| in_result)
    }

    /// One paragraph, up to its `</w:p>`.
    pub(super) fn paragraph(&mut self) -> XmlResult<Para> {
        let mut text = String::new();
        let mut style_id = None;
        let mut num = None;
        let mut in_t = false;
        let mut hidden = false;
        let mut font: Option<SymFont> = None;
        loop {
            match self.r.read_event()? {
                Event::Start(e) => {
                    if self.alternate(&e)? {
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "pPr" => (style_id, num) = self.para_props()?,
                        "r" => {
                            hidden = false;
                            font = None;
                        }
                        "rPr" => (hidden, font) = self.run_props()?,
                        "t" => in_t = true,
                        "fldChar" => {
                            let kind = attr(&e, "fldCharType");
                            if kind.as_deref() == Some("begin") {
                                let glyph = self.form_checkbox()?;
                                if let Some(c) = glyph
                                    && self.visible()
                                {
                                    text.push(box_glyph(c));
                                }
                            }
                            self.field_char(kind.as_deref());
                        }
                        "txbxContent" => {
                            if self.depth >= MAX_DEPTH {
                                self.skip(&e)?;
                            } else {
                                self.depth += 1;
                                let mut p = CellProps::default();
                                let items = self.body("txbxContent", &mut p);
                                self.depth -= 1;
                                let items = items?;
                                self.floating.extend(items);
                            }
                        }
                        "sdtPr" => self.sdt = Some(self.sdt_props()?),
                        "sdtContent" => {
                            if let Some(info) = self.sdt.take() {
                                if let Some(c) = info.checkbox {
                                    if self.visible() {
                                        text.push(box_glyph(c));
                                    }
                                    self.skip(&e)?;
                                } else if info.placeholder {
                                    self.skip(&e)?;
                                }
                            }
                        }
                        "blip" | "imagedata" => self.image(&e),
                        "del" | "moveFrom" => {
                            self.ctx.deletions += 1;
                            self.skip(&e)?;
                        }
                        // Field instructions, ruby guides, old properties.
                        "delText" | "instrText" | "delInstrText" | "rt" | "pPrChange" => {
                            self.skip(&e)?
                        }
                        _ => {}
                    }
                }
                Event::Empty(e) => {
                    if hidden || !self.visible() {
                        if e.local_name().as_ref() == "fldChar" {
                            self.field_char(attr(&e, "fldCharType").as_deref());
                        }
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "tab" | "ptab" => text.push('\t'),
                        "br" | "cr" => text.push('\n'),
                        "noBreakHyphen" => text.push('-'),
                        "sym" => {
                            let f = attr(&e, "font").and_then(|f| SymFont::from_name(&f));
                            let code =
                                attr(&e, "char").and_then(|c| u32::from_str_radix(&c, 16).ok());
                            if let Some(c) = code.and_then(|code| sym_char(f, code)) {
                                text.push(c);
                            }
                        }
                        "fldChar" => self.field_char(attr(&e, "fldCharType").as_deref()),
                        "extent" => self.extent = drawing_extent(&e),
                        "blip" | "imagedata" => self.image(&e),
                        _ => {}
                    }
                }
                Event::Text(t) if in_t && !hidden && self.visible() => {
                    push_text(&mut text, &t.xml10_content(), font);
                }
                Event::GeneralRef(g) if in_t && !hidden && self.visible() => {
                    let mut s = String::new();
                    push_entity(&mut s, &g);
                    push_text(&mut text, &s, font);
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "p" => break,
                    "t" => in_t = false,
                    "r" => {
                        hidden = false;
                        font = None;
                    }
                    "AlternateContent" => {
                        self.alt.pop();
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }

        // Numbering set on the paragraph wins over its style's.
        let num = num.or_else(|| {
            style_id
                .as_ref()
                .and_then(|s| self.ctx.styles.numbering.get(s).cloned())
        });
        let style_name = style_id.map(|s| self.ctx.styles.names.get(&s).cloned().unwrap_or(s));
        let mut style = style_name.clone();
        if let Some((num_id, ilvl)) = num.filter(|(n, _)| n != "0") {
            if !style_name
                .as_deref()
                .is_some_and(|s| s.starts_with("Heading") || s == "Title")
            {
                style = Some("list".into());
            }
            if let Some(marker) = self.list_marker(&num_id, ilvl)
                && !text.trim().is_empty()
            {
                text.insert_str(0, &marker);
            }
        }
        Ok(Para { text, style })
    }

    pub(super) fn field_char(&mut self, kind: Option<&str>) {
        match kind {
            Some("begin") if self.fields.len() < 64 => self.fields.push(false),
            Some("separate") => {
                if let Some(top) = self.fields.last_mut() {
                    *top = true;
                }
            }
            Some("end") => {
                self.fields.pop();
            }
            _ => {}
        }
    }

    /// Advances the list counters and renders the marker Word would show.
    pub(super) fn list_marker(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let numbering = &self.ctx.numbering;
        let abs = numbering.nums.get(num_id)?.clone();
        let own_list = (0..9u8).any(|l| numbering.overrides.contains_key(&(num_id.to_string(), l)));
        let key = if own_list {
            format!("num {num_id}")
        } else {
            format!("abstract {abs}")
        };
        let counters = self.ctx.counters.entry(key).or_insert([i64::MIN; 9]);
        let l = ilvl as usize;
        let start_of = |lvl: usize, numbering: &Numbering| {
            numbering
                .overrides
                .get(&(num_id.to_string(), lvl as u8))
                .copied()
                .or_else(|| {
                    numbering
                        .levels
                        .get(&(abs.clone(), lvl as u8))
                        .map(|x| x.start)
                })
                .unwrap_or(1)
        };
        counters[l] = if counters[l] == i64::MIN {
            start_of(l, &self.ctx.numbering)
        } else {
            counters[l].saturating_add(1)
        };
        for c in counters.iter_mut().skip(l + 1) {
            *c = i64::MIN;
        }
        let counters = *counters;
        let level = self.ctx.numbering.levels.get(&(abs.clone(), ilvl))?;
        if matches!(level.fmt.as_str(), "bullet" | "none") || level.text.is_empty() {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let k = (d as usize).saturating_sub(1).min(8);
                let value = if counters[k] == i64::MIN {
                    start_of(k, &self.ctx.numbering)
                } else {
                    counters[k]
                };
                let fmt = self
                    .ctx
                    .numbering
                    .levels
                    .get(&(abs.clone(), k as u8))
                    .map_or("decimal", |x| x.fmt.as_str());
                if !(-1_000_000..=1_000_000).contains(&value)
                    && !self
                        .ctx
                        .warnings
                        .iter()
                        .any(|w| w.starts_with("list numbering"))
                {
                    self.ctx.warnings.push(format!(
                        "list numbering starts at {value}: shown as a plain number"
                    ));
                }
                out.push_str(&format_counter(value, fmt));
            } else {
                out.push(c);
            }
        }
        // Word puts a tab after the marker; a space reads the same in
        // text, and none is needed after CJK punctuation (一、 （一）).
        let cjk_punct = out.chars().last().is_some_and(|c| {
            ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)
        });
        if level.suff != "nothing" && !cjk_punct {
            out.push(' ');
        }
        Some(out)
    }
}

// ---------------------------------------------------------------- attributes

pub(super) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.local_name().as_ref() == local {
            return Some(
                a.normalized_value(XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.into_owned()),
            );
        }
    }
    None
}

pub(super) fn num_attr(e: &BytesStart<'_>, local: &str) -> usize {
    attr(e, local)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// An on/off property: present means on unless `val` says otherwise.
pub(super) fn on(e: &BytesStart<'_>) -> bool {
    match attr(e, "val") {
        Some(v) => !matches!(v.as_str(), "0" | "false" | "off"),
        None => true,
    }
}

/// Like [`on`] but absent `val` means off (`w:default` of a form field).
pub(super) fn on_val(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on"))
}

/// A drawing's `wp:extent` (EMU, 12 700 to the point) in points.
fn drawing_extent(e: &BytesStart<'_>) -> Option<(f32, f32)> {
    let emu = |k: &str| attr(e, k)?.parse::<f64>().ok().filter(|v| *v > 0.0);
    Some((
        (emu("cx")? / 12_700.0) as f32,
        (emu("cy")? / 12_700.0) as f32,
    ))
}
