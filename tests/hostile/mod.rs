//! Builders for the four small files that once each took a whole batch
//! down (allocation failure or 20+ GB RSS). Built in code: no binary
//! fixtures.
#![allow(dead_code)]

use std::io::Write;

/// A 1.5 KB workbook with two cells, A1 and XFD1048576: calamine's dense
/// range over them is 17 billion cells.
pub fn xlsx_far_corner() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "项目名称").expect("cell");
    ws.write_string(1_048_575, 16_383, "尾").expect("cell");
    wb.save_to_buffer().expect("workbook")
}

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in parts {
            z.start_file(*name, opts).expect("zip entry");
            z.write_all(body.as_bytes()).expect("zip write");
        }
        z.finish().expect("zip");
    }
    out.into_inner()
}

/// A 1 KB .docx whose list starts at 9×10¹⁸ in upper letters: Word's
/// rule (repeat the letter) asked for 3.5×10¹⁷ copies of it.
pub fn docx_huge_counter() -> Vec<u8> {
    let numbering = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="9000000000000000000"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
    let para = r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>项目名称</w:t></w:r></w:p>"#;
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{para}{para}</w:body></w:document>"#
    );
    zip_of(&[
        ("word/document.xml", &document),
        ("word/numbering.xml", numbering),
    ])
}

/// An 8 KB .doc whose DIFAT chain points at itself.
pub fn doc_difat_loop() -> Vec<u8> {
    let mut b = vec![0u8; 8 * 1024];
    b[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    b[0x1E] = 9; // 512-byte sectors
    b[0x2C] = 1;
    b[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory: sector 1
    b[0x44..0x48].copy_from_slice(&2u32.to_le_bytes()); // DIFAT: sector 2
    b[0x48..0x4C].copy_from_slice(&100_000u32.to_le_bytes());
    for i in 0..109 {
        let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
        b[0x4C + i * 4..0x50 + i * 4].copy_from_slice(&v.to_le_bytes());
    }
    let fat = 512;
    b[fat..fat + 4].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
    b[fat + 4..fat + 8].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    // Every DIFAT entry names FAT sector 0, and the chain's next is itself.
    let difat = 512 * 3;
    for i in 0..127 {
        b[difat + i * 4..difat + i * 4 + 4].copy_from_slice(&0u32.to_le_bytes());
    }
    b[difat + 508..difat + 512].copy_from_slice(&2u32.to_le_bytes());
    let e = 1024;
    for (k, u) in "Root Entry".encode_utf16().enumerate() {
        b[e + k * 2..e + k * 2 + 2].copy_from_slice(&u.to_le_bytes());
    }
    b[e + 64] = 22;
    b[e + 66] = 5;
    let e = 1024 + 128;
    for (k, u) in "WordDocument".encode_utf16().enumerate() {
        b[e + k * 2..e + k * 2 + 2].copy_from_slice(&u.to_le_bytes());
    }
    b[e + 64] = 26;
    b[e + 66] = 2;
    b
}

/// A ~60 KB PDF whose one page stream inflates to 60 MB of `q Q`.
pub fn pdf_q_bomb() -> Vec<u8> {
    pdf_with_pages(&q_stream(), 1)
}

/// The same stream drawn on `n` pages.
pub fn pdf_pages_sharing(n: usize) -> Vec<u8> {
    pdf_with_pages(&q_stream(), n)
}

/// 60 MB of `q Q`, deflated (built once per test binary).
fn q_stream() -> Vec<u8> {
    static DATA: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DATA.get_or_init(deflated_q).clone()
}

fn deflated_q() -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = b"q Q ".repeat(1 << 16);
    let mut written = 0;
    while written < 60 * 1024 * 1024 {
        enc.write_all(&chunk).expect("deflate");
        written += chunk.len();
    }
    enc.finish().expect("deflate")
}

/// Catalog, pages, `n` page objects all drawing the one content stream.
fn pdf_with_pages(data: &[u8], n: usize) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let stream = n + 3;
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes(),
    ];
    for _ in 0..n {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {stream} 0 R /Resources << >> >>"
            )
            .into_bytes(),
        );
    }
    let mut s = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        data.len()
    )
    .into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    objects.push(s);
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for o in &offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
