//! A scanned page inside a PDF (a JPEG drawn on an A4 page, no text layer)
//! is read by OCR through the ordinary PDF path: text, fields and the seal.

use intake::extract::extract;
use intake::fields::{LabelTable, locate};
use intake::model::FileKind;
use intake::record::Role;
use intake::scheme::Catalog;
use lopdf::{Document, Object, Stream, dictionary};

/// One A4 page showing `jpeg` full-page, as a scanner's PDF does.
fn scanned_pdf(jpeg: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image",
            "Width" => w as i64, "Height" => h as i64,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
            "Filter" => "DCTDecode",
        },
        jpeg.to_vec(),
    );
    let image_id = doc.add_object(image);
    let content = Stream::new(dictionary! {}, b"q 595 0 0 842 0 0 cm /Im1 Do Q".to_vec());
    let content_id = doc.add_object(content);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save pdf");
    out
}

#[test]
fn scanned_pdf_page_is_read_by_ocr() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/scanned/inbox/上合组织成员国");
    let jpeg = std::fs::read(dir.join("1.盐碱地耐逆作物品种联合选育与示范-山东省农业科学院.jpg"))
        .expect("committed scanned sample");
    let img = image::load_from_memory(&jpeg).expect("jpeg");
    let pdf = scanned_pdf(&jpeg, img.width(), img.height());

    let doc = extract(&pdf, FileKind::Pdf, "scan.pdf").expect("extract");
    assert!(doc.ocr, "the page was OCR'd");
    assert!(
        doc.needs_ocr.is_empty(),
        "no page left waiting: {:?}",
        doc.warnings
    );
    let labels = LabelTable::from_catalog(&Catalog::embedded()).expect("labels");
    let got = locate(&[(&doc, Role::Form)], &[], &labels);
    assert_eq!(
        got.fields.project_name.as_deref(),
        Some("盐碱地耐逆作物品种联合选育与示范")
    );
    assert_eq!(got.fields.partner_countries, vec!["KZ".to_string()]);
    assert_eq!(doc.seals.len(), 1, "the red seal on the page is found");
}
