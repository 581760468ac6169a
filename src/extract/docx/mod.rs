//! DOCX, read directly from the package's XML parts with quick-xml.
//!
//! Read by hand (not through docx-rs) because application forms live in
//! the corners such readers drop: hyperlink text, vMerge continuations,
//! content controls, text boxes, checkbox glyphs and field results. The
//! body becomes paragraphs and tables in reading order; nested tables are
//! blocks of their own right after their parent table; text boxes follow
//! the top-level block that anchors them; headers, footers and footnotes
//! follow the body, each in its region.
//!
//! Files: this one reads the package in order (body, then headers,
//! footers and notes); `package` (parts, relationships, title),
//! `numbering` (styles and list markers), `body` (the XML parser into
//! items), `symbols` (symbol-font glyphs and checkboxes). Items become
//! blocks in `extract/blocks.rs`, shared with the `.doc` reader.
//!
//! Limits: list markers are rendered from `w:numPr` on the paragraph or on
//! its own style (not styles it is based on); counters run per abstract
//! list unless a `w:num` restarts it, as Word mostly does; `w:isLgl` and
//! `w:lvlRestart` are ignored. Number formats of other scripts fall back
//! to decimal.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::{ExtractError, MAX_PART_BYTES, ole};
use crate::model::{Document, FileKind, ImageRef, Region};

/// Nesting depth (tables in cells, text boxes in text boxes) beyond which
/// content is skipped: deeper is never a real form, and recursion must
/// stay bounded.
const MAX_DEPTH: usize = 24;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

mod body;
mod numbering;
mod package;
mod seals;
pub(super) mod symbols;

use self::body::*;
use self::numbering::*;
use self::package::*;
use self::symbols::*;
use super::blocks::*;

pub fn extract(bytes: &[u8], source: &str) -> Result<Document, ExtractError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // Password-protected OOXML, or a .doc renamed to .docx.
        return ole::extract(bytes, source);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("not a readable zip: {e}")))?;
    let mut doc = Document::new(source, FileKind::Docx);

    let main = main_part(&mut zip);
    let Some(xml) = read_part(&mut zip, &main)? else {
        return Err(ExtractError::Corrupt(format!("{main} missing")));
    };
    let rels = read_rels(&mut zip, &main, &mut doc.warnings);
    let styles = match read_part(&mut zip, &sibling(&main, "styles.xml")) {
        Ok(Some(x)) => parse_styles(&x),
        _ => Styles::default(),
    };
    let numbering = match read_part(&mut zip, &sibling(&main, "numbering.xml")) {
        Ok(Some(x)) => Numbering::parse(&x),
        _ => Numbering::default(),
    };

    let mut ctx = Ctx {
        styles,
        numbering,
        counters: HashMap::new(),
        images: Vec::new(),
        seen_images: HashSet::new(),
        extents: HashMap::new(),
        warnings: Vec::new(),
        deletions: 0,
    };
    let mut out = Out::default();

    // Body.
    let (items, floating) = Parser::new(&xml, &rels, &mut ctx)
        .run("body")
        .map_err(|e| ExtractError::Corrupt(format!("{main}: {e}")))?;
    out.emit(items, floating, Region::Body);

    // Headers, footers, footnotes: after the body, each in its region.
    let mut parts: Vec<(Region, &str, String)> = Vec::new();
    for rel in rels.values() {
        let region = match rel.kind.rsplit('/').next().unwrap_or("") {
            "header" => Region::Header,
            "footer" => Region::Footer,
            "footnotes" | "endnotes" => Region::Footnote,
            _ => continue,
        };
        let root = match region {
            Region::Header => "hdr",
            Region::Footer => "ftr",
            _ => "notes",
        };
        parts.push((region, root, rel.target.clone()));
    }
    parts.sort_by(|a, b| {
        (region_order(a.0), natural_key(&a.2)).cmp(&(region_order(b.0), natural_key(&b.2)))
    });
    parts.dedup_by(|a, b| a.2 == b.2);
    for (region, root, path) in parts {
        let xml = match read_part(&mut zip, &path) {
            Ok(Some(x)) => x,
            Ok(None) => continue,
            Err(e) => {
                doc.warnings.push(format!("{path}: {e}"));
                continue;
            }
        };
        let part_rels = read_rels(&mut zip, &path, &mut doc.warnings);
        match Parser::new(&xml, &part_rels, &mut ctx).run(root) {
            Ok((items, floating)) => out.emit(items, floating, region),
            Err(e) => doc.warnings.push(format!("{path}: {e}")),
        }
    }

    if let Ok(Some(core)) = read_part(&mut zip, "docProps/core.xml") {
        doc.title = core_title(&core);
    }
    doc.blocks = out.blocks;
    doc.seals = seals::seals(&mut zip, &ctx.images, &ctx.extents, &mut doc.warnings);
    doc.images = ctx.images;
    doc.warnings.extend(ctx.warnings);
    if ctx.deletions > 0 {
        doc.warnings.push(format!(
            "{} tracked deletion(s) not accepted: deleted text left out",
            ctx.deletions
        ));
    }
    Ok(doc)
}

fn region_order(r: Region) -> u8 {
    match r {
        Region::Header => 0,
        Region::Footer => 1,
        _ => 2,
    }
}

/// `header10.xml` after `header2.xml`.
fn natural_key(s: &str) -> (String, u64) {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let stem: String = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    (stem, digits.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::model::{Block, CellRef, Table};

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml""#;

    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// A DOCX whose body is `body`, plus any extra parts.
    fn docx(body: &str, extra: &[(&str, &str)]) -> Document {
        let doc = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        );
        let mut parts = vec![
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", doc.as_str()),
        ];
        parts.extend_from_slice(extra);
        let bytes = package(&parts);
        extract(&bytes, "t.docx").unwrap()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn texts(d: &Document) -> Vec<(Region, String)> {
        d.paragraphs().map(|p| (p.region, p.text.clone())).collect()
    }

    #[test]
    fn runs_split_mid_word_join_exactly() {
        let d = docx(
            r#"<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>项</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>目名</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">称 ：A&amp;B&#x4E2D;</w:t></w:r><w:r><w:tab/><w:t>x</w:t><w:br/><w:t>y</w:t><w:noBreakHyphen/></w:r></w:p>"#,
            &[],
        );
        assert_eq!(
            texts(&d),
            vec![(Region::Body, "项目名称 ：A&B中\tx\ny-".to_string())]
        );
        assert_eq!(d.paragraphs().next().unwrap().index, 1);
    }

    fn tc(props: &str, content: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>")
    }

    #[test]
    fn grid_span_and_vertical_merge() {
        let body = format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
             <w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}</w:tr></w:tbl>",
            tc(r#"<w:vMerge w:val="restart"/>"#, &p("A")),
            tc(r#"<w:gridSpan w:val="2"/>"#, &p("B")),
            tc("<w:vMerge/>", "<w:p/>"),
            tc("", &p("C")),
            tc("", &format!("{}{}", p("D1"), p("D2"))),
            tc(r#"<w:gridSpan w:val="3"/>"#, &p("E")),
        );
        let d = docx(&body, &[]);
        let t = d.tables().next().unwrap();
        assert_eq!((t.index, t.n_rows, t.n_cols), (1, 3, 3));
        let a = t.cell_at(1, 0).unwrap();
        assert_eq!(
            (a.text.as_str(), a.row, a.row_span, a.col_span),
            ("A", 0, 2, 1)
        );
        let b = t.cell_at(0, 2).unwrap();
        assert_eq!((b.text.as_str(), b.col, b.col_span), ("B", 1, 2));
        assert_eq!(t.cell_at(1, 2).unwrap().text, "D1\nD2");
        assert_eq!(t.cell_at(2, 1).unwrap().text, "E");
        assert_eq!(t.rows[1].len(), 2, "continuation cell not emitted");
        assert_eq!(t.locate(t.cell_at(1, 1).unwrap()), "table 1, row 2, col 2");
    }

    #[test]
    fn nested_table_is_its_own_block() {
        let inner = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", tc("", &p("内")));
        let body = format!(
            "{}<w:tbl><w:tr>{}{}</w:tr></w:tbl>{}",
            p("前"),
            tc("", &format!("{}{inner}<w:p/>", p("外"))),
            tc("", &p("旁")),
            p("后")
        );
        let d = docx(&body, &[]);
        let tables: Vec<&Table> = d.tables().collect();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].cell_at(0, 0).unwrap().text, "外");
        assert_eq!(tables[1].index, 2);
        assert_eq!(
            tables[1].parent,
            Some(CellRef {
                table: 1,
                row: 0,
                col: 0
            })
        );
        assert_eq!(tables[1].cell_at(0, 0).unwrap().text, "内");
        let order: Vec<&str> = d
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.text.as_str(),
                Block::Table(t) => {
                    if t.parent.is_some() {
                        "T2"
                    } else {
                        "T1"
                    }
                }
            })
            .collect();
        assert_eq!(order, vec!["前", "T1", "T2", "后"]);
    }

    #[test]
    fn content_controls_are_read_through() {
        let cell = "<w:tc><w:sdt><w:sdtPr><w:alias w:val=\"x\"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>控件值</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc>";
        let row_sdt = format!(
            "<w:sdt><w:sdtPr/><w:sdtContent><w:tr>{}</w:tr></w:sdtContent></w:sdt>",
            tc("", &p("行控件"))
        );
        let body = format!(
            "<w:tbl><w:tr>{cell}<w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt></w:tr>{row_sdt}</w:tbl>\
             <w:p><w:r><w:t>名称：</w:t></w:r><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>甲公司</w:t></w:r></w:sdtContent></w:sdt></w:p>\
             <w:p><w:r><w:t>电话：</w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>单击此处输入文字。</w:t></w:r></w:sdtContent></w:sdt></w:p>\
             <w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt>",
            tc("", &p("格控件")),
            p("块控件")
        );
        let d = docx(&body, &[]);
        let t = d.tables().next().unwrap();
        assert_eq!(t.cell_at(0, 0).unwrap().text, "控件值");
        assert_eq!(t.cell_at(0, 1).unwrap().text, "格控件");
        assert_eq!(t.cell_at(1, 0).unwrap().text, "行控件");
        let ps: Vec<String> = texts(&d).into_iter().map(|x| x.1).collect();
        assert_eq!(ps, vec!["名称：甲公司", "电话：", "块控件"]);
    }

    #[test]
    fn text_box_read_once() {
        let txbx = |t: &str| format!("<w:txbxContent>{}</w:txbxContent>", p(t));
        let body = format!(
            "<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx>{}</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>{}",
            txbx("框内文字"),
            txbx("框内文字"),
            p("下一段")
        );
        let d = docx(&body, &[]);
        assert_eq!(
            texts(&d),
            vec![
                (Region::Body, "正文".into()),
                (Region::TextBox, "框内文字".into()),
                (Region::Body, "下一段".into()),
            ]
        );
        // Text boxes are part of the default plain text, once.
        assert_eq!(d.plain_text(false).matches("框内文字").count(), 1);
    }

    #[test]
    fn text_box_in_a_cell_follows_the_table() {
        let boxed = format!(
            "<w:p><w:r><w:t>单元格</w:t></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>",
            p("盖章处")
        );
        let body = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>{}", tc("", &boxed), p("后"));
        let d = docx(&body, &[]);
        assert_eq!(
            d.tables().next().unwrap().cell_at(0, 0).unwrap().text,
            "单元格"
        );
        assert_eq!(
            texts(&d),
            vec![
                (Region::TextBox, "盖章处".into()),
                (Region::Body, "后".into())
            ]
        );
        assert!(matches!(d.blocks[0], Block::Table(_)));
    }

    #[test]
    fn checkboxes_become_two_glyphs() {
        let w14 = |checked: &str, shown: &str| {
            format!(
                "<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val=\"{checked}\"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii=\"MS Gothic\"/></w:rPr><w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>"
            )
        };
        let body = format!(
            "<w:p>{}<w:r><w:t>是</w:t></w:r>{}<w:r><w:t>否</w:t></w:r></w:p>\
             <w:p><w:r><w:sym w:font=\"Wingdings\" w:char=\"F0FE\"/><w:t>国际</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0A8\"/><w:t>国内</w:t></w:r></w:p>\
             <w:p><w:r><w:rPr><w:rFonts w:ascii=\"Wingdings 2\" w:hAnsi=\"Wingdings 2\"/></w:rPr><w:t>R</w:t></w:r><w:r><w:t>甲</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii=\"Wingdings 2\"/></w:rPr><w:t>&#163;</w:t></w:r><w:r><w:t>乙</w:t></w:r></w:p>\
             <w:p><w:r><w:t>■是 □否 √对 ☐空</w:t></w:r></w:p>\
             <w:p><w:r><w:fldChar w:fldCharType=\"begin\"><w:ffData><w:checkBox><w:sizeAuto/><w:default w:val=\"1\"/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>同意</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"><w:ffData><w:checkBox><w:default w:val=\"1\"/><w:checked w:val=\"0\"/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>不同意</w:t></w:r></w:p>",
            w14("1", "☒"),
            w14("0", "☐"),
        );
        let d = docx(&body, &[]);
        let ps: Vec<String> = texts(&d).into_iter().map(|x| x.1).collect();
        assert_eq!(
            ps,
            vec![
                "☑是☐否",
                "☑国际☐国内",
                "☑甲☐乙",
                "☑是 ☐否 ☑对 ☐空",
                "☑同意☐不同意"
            ]
        );
    }

    #[test]
    fn hyperlinks_insertions_deletions_fields() {
        let body = r#"<w:p><w:r><w:t>网址：</w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>链接</w:t></w:r><w:r><w:t>文字</w:t></w:r></w:hyperlink><w:smartTag><w:r><w:t>！</w:t></w:r></w:smartTag></w:p>
            <w:p><w:r><w:t>经费</w:t></w:r><w:del w:id="1"><w:r><w:delText>100</w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>200</w:t></w:r></w:ins><w:r><w:t>万元</w:t></w:r></w:p>
            <w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页，</w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>
            <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "http://x" </w:instrText></w:r><w:r><w:t>instr-as-t</w:t></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>"#;
        let d = docx(body, &[]);
        let ps: Vec<String> = texts(&d).into_iter().map(|x| x.1).collect();
        assert_eq!(
            ps,
            vec!["网址：链接文字！", "经费200万元", "第3页，9", "结果"]
        );
        assert!(d.warnings.iter().any(|w| w.contains("tracked deletion")));
    }

    #[test]
    fn headers_footers_footnotes_kept_apart() {
        let rels = r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="/word/footer1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;
        let hdr = format!("<w:hdr {NS}>{}</w:hdr>", p("某某大学"));
        let ftr = format!("<w:ftr {NS}>{}</w:ftr>", p("第 1 页"));
        let notes = format!(
            "<w:footnotes {NS}><w:footnote w:type=\"separator\" w:id=\"-1\">{}</w:footnote><w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>",
            p("----"),
            p("注：单位为万元")
        );
        let core = r#"<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:title>申报书</dc:title></cp:coreProperties>"#;
        let body = format!(
            "{}<w:p><w:r><w:drawing><a:graphic xmlns:a=\"a\"><a:blip r:embed=\"rId4\"/></a:graphic></w:drawing></w:r></w:p>",
            p("正文")
        );
        let d = docx(
            &body,
            &[
                ("word/_rels/document.xml.rels", rels),
                ("word/header1.xml", &hdr),
                ("word/footer1.xml", &ftr),
                ("word/footnotes.xml", &notes),
                ("docProps/core.xml", core),
            ],
        );
        assert_eq!(
            texts(&d),
            vec![
                (Region::Body, "正文".into()),
                (Region::Header, "某某大学".into()),
                (Region::Footer, "第 1 页".into()),
                (Region::Footnote, "注：单位为万元".into()),
            ]
        );
        assert_eq!(d.plain_text(false), "正文\n");
        assert_eq!(d.title.as_deref(), Some("申报书"));
        assert_eq!(d.images.len(), 1);
        assert_eq!(
            (d.images[0].name.as_str(), d.images[0].format.as_str()),
            ("word/media/image1.png", "png")
        );
    }

    #[test]
    fn numbering_markers_and_styles() {
        let numbering = r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3."/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num><w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>"#;
        let styles = r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="a5"><w:name w:val="申报标题"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>"#;
        let np = |id: u8, lvl: u8, t: &str| {
            format!(
                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{id}\"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"
            )
        };
        let body = format!(
            "<w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>总则</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"a5\"/></w:pPr><w:r><w:t>子</w:t></w:r></w:p>{}{}{}{}{}{}{}",
            np(1, 0, "项目概况"),
            np(1, 1, "背景"),
            np(1, 1, "目标"),
            np(1, 2, "细项"),
            np(1, 0, "经费"),
            np(2, 0, "要点"),
            np(3, 0, "重新编号"),
        );
        let d = docx(
            &body,
            &[
                ("word/numbering.xml", numbering),
                ("word/styles.xml", styles),
            ],
        );
        let ps: Vec<(Option<String>, String)> = d
            .paragraphs()
            .map(|p| (p.style.clone(), p.text.clone()))
            .collect();
        let list = Some("list".to_string());
        assert_eq!(
            ps,
            vec![
                (Some("Heading1".into()), "总则".into()),
                (Some("Heading2".into()), "第一章 子".into()),
                (list.clone(), "一、项目概况".into()),
                (list.clone(), "（一）背景".into()),
                (list.clone(), "（二）目标".into()),
                (list.clone(), "一.1. 细项".into()), // each level keeps its own format, as Word does
                (list.clone(), "二、经费".into()),
                (list.clone(), "要点".into()),
                (list, "一、重新编号".into()),
            ]
        );
        assert_eq!(sym_char(Some(SymFont::Symbol), 0xF061), Some('α'));
        assert_eq!(sym_char(Some(SymFont::Symbol), 0x35), Some('5'));
        assert_eq!(format_counter(11, "chineseCounting"), "十一");
        assert_eq!(format_counter(20, "chineseCounting"), "二十");
        assert_eq!(format_counter(105, "chineseCounting"), "一百零五");
        assert_eq!(format_counter(4, "upperRoman"), "IV");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(
            extract(b"PK\x03\x04garbage", "x.docx"),
            Err(ExtractError::Corrupt(_))
        ));
        let good = package(&[(
            "word/document.xml",
            &format!("<w:document {NS}><w:body>{}</w:body></w:document>", p("x")),
        )]);
        for cut in [good.len() / 3, good.len() / 2, good.len() - 10] {
            let _ = extract(&good[..cut], "x.docx"); // must not panic
        }
        // Mismatched tags are corrupt XML.
        let bad = package(&[(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r></w:p></w:body>",
        )]);
        assert!(matches!(
            extract(&bad, "x.docx"),
            Err(ExtractError::Corrupt(_))
        ));
        // No main part.
        let empty = package(&[("a.txt", "x")]);
        assert!(matches!(
            extract(&empty, "x.docx"),
            Err(ExtractError::Corrupt(_))
        ));
        // An entry flagged as (traditionally) encrypted.
        let mut enc = good.clone();
        for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
            let at = enc.windows(4).position(|w| w == sig).unwrap();
            let flags = at + if sig[2] == 3 { 6 } else { 8 };
            enc[flags] |= 1;
        }
        assert!(matches!(
            extract(&enc, "x.docx"),
            Err(ExtractError::Encrypted)
        ));
        // Deeply nested tables are cut, not a stack overflow.
        let deep = "<w:tbl><w:tr><w:tc>".repeat(200) + &"</w:tc></w:tr></w:tbl>".repeat(200);
        let d = docx(&deep, &[]);
        assert!(d.tables().count() <= MAX_DEPTH + 1);
    }
}
